#include <curl/curl.h>
#include <pthread.h>

static void ns_curl_global_init_once_(void) { curl_global_init(CURL_GLOBAL_ALL); }
/// curl_global_init before the first handle, once per module that calls it (libcurl counts calls).
static inline void ns_curl_global_init(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ns_curl_global_init_once_);
}

// curl_easy_setopt and curl_easy_getinfo are variadic macros Swift cannot call; typed wrappers.
static inline CURLcode ns_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ns_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ns_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ns_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ns_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*ns_curl_write_fn)(char *, size_t, size_t, void *);
static inline CURLcode ns_curl_setopt_write(CURL *h, CURLoption o, ns_curl_write_fn v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*ns_curl_read_fn)(char *, size_t, size_t, void *);
static inline CURLcode ns_curl_setopt_read(CURL *h, CURLoption o, ns_curl_read_fn v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ns_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ns_curl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ns_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
