// Typed entry points for the parts of libcurl, libgit2 and OpenSSL that Swift
// cannot import: variadic functions and function-like macros.
//
// Handles cross this boundary as `void *` so this header includes none of the
// libraries' own headers (their declarations live in CCurl, CGit2 and
// COpenSSL only, and are never imported twice).
#ifndef GATEWAY_SHIMS_H
#define GATEWAY_SHIMS_H

#include <stddef.h>
#include <stdint.h>

// MARK: libcurl (curl_easy_setopt / curl_easy_getinfo are variadic)
typedef size_t (*gw_curl_data_callback)(char *data, size_t size, size_t nmemb, void *userdata);

int gw_curl_easy_setopt_long(void *easy, int option, long value);
int gw_curl_easy_setopt_ptr(void *easy, int option, const void *value);
int gw_curl_easy_setopt_off_t(void *easy, int option, int64_t value);
int gw_curl_easy_setopt_callback(void *easy, int option, gw_curl_data_callback callback);
int gw_curl_easy_getinfo_long(void *easy, int info, long *value);
int gw_curl_easy_getinfo_string(void *easy, int info, const char **value);
int gw_curl_easy_getinfo_double(void *easy, int info, double *value);

// MARK: libgit2 (git_libgit2_opts is variadic)
int gw_git_set_ssl_cert_locations(const char *file, const char *path);
int gw_git_set_owner_validation(int enabled);

// MARK: OpenSSL (macros)
void gw_openssl_free(void *pointer);
long gw_bio_get_mem_data(void *bio, char **data);
/// STACK_OF(X509) helpers.
void *gw_sk_x509_new_null(void);
int gw_sk_x509_push(void *stack, void *certificate);
void gw_sk_x509_pop_free(void *stack);
int gw_sk_x509_num(const void *stack);
void *gw_sk_x509_value(const void *stack, int index);
/// STACK_OF(X509_EXTENSION) helpers.
void *gw_sk_x509_extension_new_null(void);
int gw_sk_x509_extension_push(void *stack, void *extension);
void gw_sk_x509_extension_pop_free(void *stack);
/// STACK_OF(GENERAL_NAME) helpers (subjectAltName).
int gw_sk_general_name_num(const void *stack);
void *gw_sk_general_name_value(const void *stack, int index);
void gw_general_names_free(void *stack);
void *gw_general_names_new(void);
int gw_sk_general_name_push(void *stack, void *name);

#endif
