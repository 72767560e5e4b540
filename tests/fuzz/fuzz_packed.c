/* libFuzzer target: the packed history index and trace map read back from the
 * database (a damaged or foreign row must be refused, never trusted). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "history_pack.h"
#include "trace_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	history h;
	history_init(&h);
	if (history_unpack(&h, data, size) == 0) {
		/* what a loaded index is used for first */
		history_view v = { .h = &h, .limit = (uint32_t)h.nmainline };
		for (size_t i = 0; i < h.npaths && i < 16; i++)
			(void)history_file_at(&v, h.paths[i]);
	}
	history_free(&h);
	trace_map *m = trace_map_unpack(data, size);
	if (m) {
		trace_frame f = { 0 };
		f.file = strdup("node_modules/x/lib/a.js");
		trace_map_frame(m, &f);
		trace_frame_free(&f);
		trace_map_free(m);
	}
	return 0;
}
