// orm::detail::session_memory: block memory for a session's bookkeeping.
#include "orm/detail/session_memory.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace orm::detail {

namespace {
constexpr std::size_t huge_page = 2 * 1024 * 1024;
}  // namespace

session_memory::~session_memory() {
    for (const block& b : blocks_) {
        if (b.huge) std::free(b.data);
        else ::operator delete(b.data, b.size);
    }
}

void* session_memory::do_allocate(std::size_t bytes, std::size_t alignment) {
    if (bytes > huge_page) return ::operator new(bytes, std::align_val_t(alignment));
    auto fits = [&] {
        const std::size_t pad = (alignment - reinterpret_cast<std::uintptr_t>(cursor_) % alignment) % alignment;
        return cursor_ != nullptr && pad + bytes <= left_ ? pad : huge_page + 1;
    };
    std::size_t pad = fits();
    if (pad > huge_page) {
        std::size_t size = std::max(next_block_size_, bytes + alignment);
        const bool huge = size >= huge_page;
        if (huge) size = (size + huge_page - 1) / huge_page * huge_page;
        block b{nullptr, size, huge};
        if (b.huge) {
            b.data = std::aligned_alloc(huge_page, size);
            if (!b.data) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
            ::madvise(b.data, size, MADV_HUGEPAGE);  // a hint: without transparent huge pages nothing changes
#endif
        } else {
            b.data = ::operator new(size);
        }
        blocks_.push_back(b);
        cursor_ = static_cast<std::byte*>(b.data);
        left_ = size;
        next_block_size_ = std::min(size * 2, huge_page);
        pad = fits();  // a fresh block is aligned for anything up to its size
    }
    void* p = cursor_ + pad;
    cursor_ += pad + bytes;
    left_ -= pad + bytes;
    return p;
}

void session_memory::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
    if (bytes > huge_page) ::operator delete(p, bytes, std::align_val_t(alignment));
    // Smaller pieces stay in their block until the session ends.
}

}  // namespace orm::detail
