#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# A short fuzzing run of the exporter's parsers inside make check.
exec "$(dirname "$0")/run_http.sh" "${1:-build}" "${TDXHP_FUZZ_SECONDS:-20}"
