/// Hands the C heap's free pages back to the operating system after a burst of short-lived allocations (glibc keeps
/// them in its arenas otherwise, and they count as resident). A no-op where the C library has no `malloc_trim`.
enum HeapTrim {
    static func returnFreedMemory() {
        #if os(Linux) && canImport(Glibc)
            _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux) && canImport(Glibc)
    /// `int malloc_trim(size_t pad)` from glibc's `<malloc.h>`, which the Glibc module does not export.
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
