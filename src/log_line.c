/* One line of the worker's log (see log_line.h). */
#include "log_line.h"

#include <stdarg.h>

void log_line(FILE *log, const char *fmt, ...)
{
	if (!log)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fflush(log);
}
