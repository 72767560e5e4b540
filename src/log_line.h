/* log_line: one line of the worker's log, written whole and flushed.
 *
 * The cycle, the sources and the outbox sender say what they do here: the
 * log file inside the command center (never the screen), standard output for
 * `mahoraga poll`. */
#ifndef MAHORAGA_LOG_LINE_H
#define MAHORAGA_LOG_LINE_H

#include <stdio.h>

/* Write the formatted line and a newline to log, flushed; nothing when log
 * is NULL. */
void log_line(FILE *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
