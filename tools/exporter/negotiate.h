/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which exposition a scrape gets, from its Accept header, as Prometheus'
 * client_golang (expfmt.Negotiate) decides: the protobuf format when
 * "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;
 * encoding=delimited" is accepted at least as much as text, else text.
 * Prometheus asks for protobuf first only with native histograms enabled.
 */
#ifndef TDXHP_EXPORTER_NEGOTIATE_H
#define TDXHP_EXPORTER_NEGOTIATE_H

#include <stddef.h>

#include "expo.h"

/* Content-Type of each format. */
extern const char *const expo_content_type[EXPO_NR_FORMATS];
/* "text", "protobuf": the format label of tdxhp_exporter_requests_total. */
extern const char *const expo_format_name[EXPO_NR_FORMATS];

/* accept: the header's value (NULL: no header); not NUL-terminated. */
enum expo_format negotiate_format(const char *accept, size_t len);

#endif /* TDXHP_EXPORTER_NEGOTIATE_H */
