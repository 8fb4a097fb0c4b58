/* fuzz-autoconfig-xml.c
 *
 * Copyright 2026 The Example Mail authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-autoconfig.h"

int LLVMFuzzerTestOneInput (const unsigned char *data,
                            size_t               size);

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

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

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
