#pragma once
// Internal: reaching the relationship members of a session's objects (shared by
// the lazy loading and flush code and the selectin loader).
#include <algorithm>
#include <span>
#include <vector>

#include "orm/detail/object_state.hpp"
#include "orm/mapping/table.hpp"

namespace orm::detail {

inline detail::to_one_base& to_one_in(const relationship_info& r, void* object) { return *static_cast<detail::to_one_base*>(r.member_of(object)); }
inline detail::collection_base& collection_in(const relationship_info& r, void* object) {
    return *static_cast<detail::collection_base*>(r.member_of(object));
}

// The relationship on the target that mirrors `r` (back_populates), or nullptr.
inline const relationship_info* mirror_of(const relationship_info& r) {
    if (r.back_populates.empty()) return nullptr;
    const relationship_info* back = r.target().find_relationship(r.back_populates);
    if (!back) throw mapping_error("orm: " + r.name + " back_populates " + r.back_populates + ", which is not declared in its model<T>::relationships");
    return back;
}

// The values of `columns` of an object.
inline std::vector<value> values_at(const detail::object_state& s, const std::vector<std::size_t>& columns) {
    std::vector<value> out;
    out.reserve(columns.size());
    for (std::size_t c : columns) out.push_back(s.get(c));
    return out;
}

/// Calls `each(table, group)` for the states of each table in `states` (reordered so that each
/// table's states are together, in their order).
template <class Each>
void for_each_table(std::vector<detail::object_state*>& states, Each&& each) {
    for (auto first = states.begin(); first != states.end();) {
        const table_info& table = *(*first)->table;
        const auto last = std::stable_partition(first, states.end(), [&](const detail::object_state* s) { return s->table == &table; });
        each(table, std::span<detail::object_state* const>(&*first, static_cast<std::size_t>(last - first)));
        first = last;
    }
}

inline bool any_null(const std::vector<value>& values) {
    return std::any_of(values.begin(), values.end(), [](const value& v) { return is_null(v); });
}

}  // namespace orm::detail
