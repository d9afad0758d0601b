#pragma once
// Internal: where a session keeps its object states and the nodes of its maps.
#include <array>
#include <cstddef>
#include <memory_resource>
#include <utility>
#include <vector>

namespace orm::detail {

/// The memory behind one session's bookkeeping (object states, map nodes).
/// Pieces of up to 4 KiB are carved from blocks that grow fourfold from 64 KiB
/// to 2 MiB (64, 256 KiB, then 2 MiB each) and are recycled through free lists by size; on Linux the 2 MiB blocks
/// are advised for transparent huge pages, so a session of many objects takes
/// a few page faults instead of one per 4 KiB (measured: most of a 20,000-row
/// session load's time on a VM). Larger pieces come from operator new. Under
/// AddressSanitizer the same pool runs and poisons what is not in use (block
/// memory not handed out, freed pieces, which wait in a quarantine of 4,096
/// before reuse), so a read of a freed piece or past an allocation is reported.
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

    static constexpr std::size_t granule = 16;            ///< size classes are multiples of this
    static constexpr std::size_t largest_pooled = 4096;   ///< larger pieces come from operator new
    /// One block taken from the system.
    struct block {
        void* data;
        std::size_t size;
        bool huge;  ///< from the 2 MiB-aligned allocator
    };
    std::vector<block> blocks_;
    std::array<void*, largest_pooled / granule> free_{};  ///< freed pieces by size class (a list through their first word)
    std::size_t next_block_size_ = 64 * 1024;
    std::byte* cursor_ = nullptr;  ///< free space of the newest block
    std::size_t left_ = 0;
    /// AddressSanitizer builds only: freed pieces (address, size class) waiting, poisoned, before reuse.
    std::vector<std::pair<void*, std::size_t>> quarantine_;
    std::size_t quarantine_next_ = 0;  ///< the oldest entry once the quarantine is full
};

}  // namespace orm::detail
