/* safe_out: an output stream that lets no escape sequence through.
 *
 * Author names and e-mails come from git history, names from users files,
 * titles and bodies from the inbox: a commit authored as "m<ESC>]52;c;...<BEL>"
 * wrote a teammate's clipboard when they ran `mahoraga busfactor`. Rather than
 * cleaning each string at each of the many places that print one, the
 * commands' standard output and the log are this stream: every byte goes
 * through core/sanitize (layout kept: newlines, tabs, CR of CSV's CRLF),
 * text, JSON and CSV alike. The command center draws with ncurses and
 * sanitizes what it draws itself (ui_put). */
#ifndef MAHORAGA_SAFE_OUT_H
#define MAHORAGA_SAFE_OUT_H

#include <stdio.h>

/* A stream writing the sanitized bytes to under, which it owns: closing it
 * closes under and reports under's errors. NULL (under untouched) on failure. */
FILE *safe_out_open(FILE *under);

#endif
