#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU; its ICU headers clash with the ICU copy inside Foundation.
// Nothing here touches the converter structs whose layout this changes.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

static void ns_xml_ignore_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void ns_xml_ignore_structured(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }

// libxml2 prints errors to stderr by default (cron would mail them); its handlers are per thread.
static inline void ns_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, ns_xml_ignore_generic);
    xmlSetStructuredErrorFunc(NULL, ns_xml_ignore_structured);
}
