package coverage

// #include <stdlib.h>
// #ifdef __GLIBC__
// #include <malloc.h>
// static void vingt_malloc_trim(void) { malloc_trim(0); }
// #else
// static void vingt_malloc_trim(void) {}
// #endif
import "C"

import "runtime/debug"

// freeMemory hands back to the system what the stage before left: the Go
// heap's garbage (debug.FreeOSMemory) and, with glibc, the free pages of
// the C allocator's arenas (malloc_trim). The GEOS points of locating
// cells are C memory freed by Go cleanups; glibc keeps their pages (about
// 20 MB for the national 1 km grid) unless trimmed.
func freeMemory() {
	debug.FreeOSMemory()
	C.vingt_malloc_trim()
}
