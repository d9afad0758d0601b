#pragma once
// Internal: where a session keeps its object states and the nodes of its maps.
#include <cstddef>
#include <memory_resource>
#include <vector>

namespace orm::detail {

/// The memory behind one session's bookkeeping (object states, map nodes). It is
/// carved from blocks that double from 64 KiB to 2 MiB; on Linux the 2 MiB blocks
/// are advised for transparent huge pages, so a session of many objects takes a
/// few page faults instead of one per 4 KiB (measured: most of a 20,000-row
/// session load's time on a VM). Requests above 2 MiB get memory of their own,
/// returned on deallocate; smaller ones are returned when the session ends (the
/// pool in front of this recycles freed objects).
class session_memory final : public std::pmr::memory_resource {
public:
    session_memory() = default;
    session_memory(const session_memory&) = delete;
    session_memory& operator=(const session_memory&) = delete;
    ~session_memory() override;

private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override;
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

    /// One block taken from the system.
    struct block {
        void* data;
        std::size_t size;
        bool huge;  ///< from the 2 MiB-aligned allocator
    };
    std::vector<block> blocks_;
    std::size_t next_block_size_ = 64 * 1024;
    std::byte* cursor_ = nullptr;  ///< free space of the newest block
    std::size_t left_ = 0;
};

}  // namespace orm::detail
