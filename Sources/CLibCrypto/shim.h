// OpenSSL's libcrypto, for its streaming SHA-256 (EVP digests).
#include <openssl/evp.h>
