/* fuzz-autoconfig-xml.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "mail-autoconfig.h"

int LLVMFuzzerTestOneInput (const unsigned char *data,
                            size_t               size);

/* Warnings and criticals (e.g. a GError set twice) are bugs: abort, so that libFuzzer keeps
 * the input. */
static void
log_handler (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return;
  g_printerr ("%s: %s\n", domain != NULL ? domain : "", message);
  abort ();
}

/* Parses hostile config-v1.1.xml input, then exercises what callers do with a result:
 * expansion, assessment, copying. */
int
LLVMFuzzerTestOneInput (const unsigned char *data,
                        size_t               size)
{
  g_autoptr(MailAutoconfigConfig) config = NULL;
  g_autoptr(MailAutoconfigConfig) expanded = NULL;
  g_autoptr(MailAutoconfigConfig) copy = NULL;
  g_autoptr(GPtrArray) findings = NULL;

  g_log_set_default_handler (log_handler, NULL);

  config = mail_autoconfig_xml_parse ((const char *) data, size, NULL);
  if (config == NULL)
    return 0;

  expanded = mail_autoconfig_config_expand (config, "jane.doe@example.com", "Jane", NULL);
  if (expanded != NULL)
    {
      findings = mail_autoconfig_assess (expanded, MAIL_AUTOCONFIG_ASSESS_NONE);
      copy = mail_autoconfig_config_copy (expanded);
    }

  return 0;
}
