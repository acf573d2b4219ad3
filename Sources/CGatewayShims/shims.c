#include "CGatewayShims.h"

#include <curl/curl.h>
#define GIT_DEPRECATE_HARD
#include <git2.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

int gw_curl_easy_setopt_long(void *easy, int option, long value) {
    return (int)curl_easy_setopt((CURL *)easy, (CURLoption)option, value);
}
int gw_curl_easy_setopt_ptr(void *easy, int option, const void *value) {
    return (int)curl_easy_setopt((CURL *)easy, (CURLoption)option, value);
}
int gw_curl_easy_setopt_off_t(void *easy, int option, int64_t value) {
    return (int)curl_easy_setopt((CURL *)easy, (CURLoption)option, (curl_off_t)value);
}
int gw_curl_easy_setopt_callback(void *easy, int option, gw_curl_data_callback callback) {
    return (int)curl_easy_setopt((CURL *)easy, (CURLoption)option, callback);
}
int gw_curl_easy_getinfo_long(void *easy, int info, long *value) {
    return (int)curl_easy_getinfo((CURL *)easy, (CURLINFO)info, value);
}
int gw_curl_easy_getinfo_string(void *easy, int info, const char **value) {
    char *result = NULL;
    int code = (int)curl_easy_getinfo((CURL *)easy, (CURLINFO)info, &result);
    *value = result;
    return code;
}
int gw_curl_easy_getinfo_double(void *easy, int info, double *value) {
    return (int)curl_easy_getinfo((CURL *)easy, (CURLINFO)info, value);
}

int gw_git_set_ssl_cert_locations(const char *file, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}
int gw_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

void gw_openssl_free(void *pointer) { OPENSSL_free(pointer); }
long gw_bio_get_mem_data(void *bio, char **data) { return BIO_get_mem_data((BIO *)bio, data); }

void *gw_sk_x509_new_null(void) { return sk_X509_new_null(); }
int gw_sk_x509_push(void *stack, void *certificate) { return sk_X509_push((STACK_OF(X509) *)stack, (X509 *)certificate); }
void gw_sk_x509_pop_free(void *stack) { sk_X509_pop_free((STACK_OF(X509) *)stack, X509_free); }
int gw_sk_x509_num(const void *stack) { return sk_X509_num((const STACK_OF(X509) *)stack); }
void *gw_sk_x509_value(const void *stack, int index) { return sk_X509_value((const STACK_OF(X509) *)stack, index); }

void *gw_sk_x509_extension_new_null(void) { return sk_X509_EXTENSION_new_null(); }
int gw_sk_x509_extension_push(void *stack, void *extension) {
    return sk_X509_EXTENSION_push((STACK_OF(X509_EXTENSION) *)stack, (X509_EXTENSION *)extension);
}
void gw_sk_x509_extension_pop_free(void *stack) {
    sk_X509_EXTENSION_pop_free((STACK_OF(X509_EXTENSION) *)stack, X509_EXTENSION_free);
}

int gw_sk_general_name_num(const void *stack) { return sk_GENERAL_NAME_num((const STACK_OF(GENERAL_NAME) *)stack); }
void *gw_sk_general_name_value(const void *stack, int index) {
    return sk_GENERAL_NAME_value((const STACK_OF(GENERAL_NAME) *)stack, index);
}
void gw_general_names_free(void *stack) { GENERAL_NAMES_free((GENERAL_NAMES *)stack); }
void *gw_general_names_new(void) { return GENERAL_NAMES_new(); }
int gw_sk_general_name_push(void *stack, void *name) {
    return sk_GENERAL_NAME_push((GENERAL_NAMES *)stack, (GENERAL_NAME *)name);
}
