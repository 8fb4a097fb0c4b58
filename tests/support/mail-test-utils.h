/* mail-test-utils.h
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE when the local mail stack (build-aux/mail-stack) is running and described by the
 * MAIL_STACK_* environment. When it is not, the current test is skipped, or failed when
 * MAIL_TEST_REQUIRE_STACK=1 (as `build-aux/dev test` and CI set it): a missing stack must
 * never turn into a green run. */
gboolean    mail_test_have_stack      (void);

/* The value of MAIL_STACK_<key>, e.g. mail_test_stack ("IMAPS_PORT").
 * Aborts the test when unset. */
const char *mail_test_stack           (const char *key);
guint16     mail_test_stack_port      (const char *key);

/* Absolute path of a file under tests/data/. */
char       *mail_test_data_path       (const char *relative);
GBytes     *mail_test_load_data       (const char *relative);

/* Runs the default main context until *done becomes TRUE or timeout_ms passes (then fails). */
void        mail_test_wait_for        (gboolean   *done,
                                       guint       timeout_ms);

G_END_DECLS
