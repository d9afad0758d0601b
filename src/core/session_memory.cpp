// orm::detail::session_memory: block memory for a session's bookkeeping.
#include "orm/detail/session_memory.hpp"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define ORM_SESSION_MEMORY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ORM_SESSION_MEMORY_ASAN 1
#endif
#endif

#if defined(ORM_SESSION_MEMORY_ASAN)
#include <sanitizer/asan_interface.h>
// Under AddressSanitizer the pool itself runs, and tells ASan what is in use: block
// memory not handed out, and every freed piece, is poisoned; a freed piece waits in
// a quarantine before it is reused, so a read of a recently freed piece is reported.
#define ORM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ORM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ORM_POISON(p, n) ((void)(p), (void)(n))
#define ORM_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace orm::detail {

namespace {
constexpr std::size_t huge_page = 2 * 1024 * 1024;
#if defined(ORM_SESSION_MEMORY_ASAN)
constexpr std::size_t quarantine_pieces = 4096;  // freed pieces kept poisoned before reuse
#else
constexpr std::size_t quarantine_pieces = 0;
#endif

// Unsized and aligned deletes only: clang does not declare sized deallocation by default.
void release(void* p, std::size_t alignment) noexcept {
    if (alignment > __STDCPP_DEFAULT_NEW_ALIGNMENT__) ::operator delete(p, std::align_val_t(alignment));
    else ::operator delete(p);
}

void* obtain(std::size_t bytes, std::size_t alignment) {
    if (alignment > __STDCPP_DEFAULT_NEW_ALIGNMENT__) return ::operator new(bytes, std::align_val_t(alignment));
    return ::operator new(bytes);
}
}  // namespace

session_memory::~session_memory() {
    for (const block& b : blocks_) {
        ORM_UNPOISON(b.data, b.size);
        if (b.huge) std::free(b.data);
        else ::operator delete(b.data);
    }
}

void* session_memory::do_allocate(std::size_t bytes, std::size_t alignment) {
    if (bytes > largest_pooled || alignment > granule) return obtain(bytes, alignment);
    const std::size_t size_class = (std::max<std::size_t>(bytes, 1) + granule - 1) / granule;
    if (void*& head = free_[size_class - 1]) {  // a freed piece of this size
        void* p = head;
        ORM_UNPOISON(p, sizeof(void*));
        head = *static_cast<void**>(p);
        ORM_UNPOISON(p, bytes);
        return p;
    }
    const std::size_t size = size_class * granule;
    if (size > left_) {  // a new block; what is left of the old one stays unused
        blocks_.reserve(blocks_.size() + 1);  // so that recording the block cannot throw once it is taken
        block b{nullptr, next_block_size_, next_block_size_ >= huge_page};
        if (b.huge) {
            b.data = std::aligned_alloc(huge_page, b.size);
            if (!b.data) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
            ::madvise(b.data, b.size, MADV_HUGEPAGE);  // a hint: without transparent huge pages nothing changes
#endif
        } else {
            b.data = ::operator new(b.size);
        }
        blocks_.push_back(b);
        ORM_POISON(b.data, b.size);  // nothing of it is handed out yet
        cursor_ = static_cast<std::byte*>(b.data);
        left_ = b.size;
        next_block_size_ = b.size * 4 > huge_page / 4 ? huge_page : b.size * 4;  // 64 KiB, 256 KiB, then 2 MiB
    }
    void* p = cursor_;  // blocks start 16-aligned and every piece is a multiple of 16
    cursor_ += size;
    left_ -= size;
    ORM_UNPOISON(p, bytes);  // exactly what was asked for: a write past it is caught
    return p;
}

void session_memory::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
    if (bytes > largest_pooled || alignment > granule) {
        release(p, alignment);
        return;
    }
    const std::size_t size_class = (std::max<std::size_t>(bytes, 1) + granule - 1) / granule;
    if constexpr (quarantine_pieces > 0) {
        // The piece waits, poisoned; the oldest one waiting goes to its free list.
        ORM_POISON(p, size_class * granule);
        if (quarantine_.size() < quarantine_pieces) {
            quarantine_.emplace_back(p, size_class);
            return;
        }
        auto [oldest, oldest_class] = std::exchange(quarantine_[quarantine_next_], {p, size_class});
        quarantine_next_ = (quarantine_next_ + 1) % quarantine_pieces;
        p = oldest;
        bytes = oldest_class * granule;
        ORM_UNPOISON(p, sizeof(void*));
    }
    void*& head = free_[(std::max<std::size_t>(bytes, 1) + granule - 1) / granule - 1];
    *static_cast<void**>(p) = head;
    head = p;
    ORM_POISON(p, (std::max<std::size_t>(bytes, 1) + granule - 1) / granule * granule);
}

}  // namespace orm::detail
