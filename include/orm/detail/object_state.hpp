#pragma once
// Internal: what a session knows about each object it owns (type-erased), and
// how to make the state of a T. Used by session.hpp and by session queries.
#include <cstdint>
#include <memory>
#include <vector>

#include "orm/error.hpp"
#include "orm/mapping/row.hpp"
#include "orm/mapping/table.hpp"

namespace orm {

/// Where an object stands in a session.
enum class object_status {
    pending,     ///< added, not yet inserted
    persistent,  ///< has a row in the database
    deleted,     ///< remove()d: deleted at the next flush, or already deleted and awaiting commit
};

namespace detail {

/// What the session knows about one object it owns (type-erased).
struct object_state {
    virtual ~object_state() = default;
    /// The object's address (stable for the object's life in the session).
    virtual void* object() = 0;
    /// Every field's value, in field order.
    virtual std::vector<value> values() const = 0;
    /// Writes one field (throws orm::data_error naming the column).
    virtual void set(std::size_t field, const value& v) = 0;

    const table_info* table = nullptr;
    object_status status = object_status::pending;
    std::vector<value> snapshot;  ///< values as last loaded or flushed
    std::vector<value> key;       ///< identity key (persistent and deleted)
    bool expired = false;         ///< values unknown: reloaded by the next get/all/refresh
    bool delete_flushed = false;  ///< deleted: the DELETE already ran
    std::uint64_t sequence = 0;   ///< order of add()
    int added_depth = -1;         ///< savepoint depth at add() (-1: loaded)
    int inserted_depth = -1;      ///< savepoint depth of the flush that inserted it (-1: loaded)
    int deleted_depth = -1;       ///< savepoint depth of the flush that deleted it
    int removed_depth = -1;       ///< savepoint depth at remove() (undone by a rollback to that depth)
    std::vector<value> committed_key;  ///< key as of the last commit or load (restored on rollback)
};

template <class T>
struct typed_state final : object_state {
    explicit typed_state(T&& value) : held(std::make_unique<T>(std::move(value))) {}
    void* object() override { return held.get(); }
    std::vector<value> values() const override { return row_codec<T>::values(*held); }
    void set(std::size_t field, const value& v) override {
        try {
            row_codec<T>::setters[field](*held, v);
        } catch (const data_error& e) {
            rethrow_with_column(e, table->name, table->columns[field].name);
        }
    }
    std::unique_ptr<T> held;
};

/// Makes an empty state for T: used when a loaded row has no object yet.
template <class T>
std::unique_ptr<object_state> make_state() {
    auto state = std::make_unique<typed_state<T>>(T{});
    state->table = &table_of<T>();
    return state;
}

using state_factory = std::unique_ptr<object_state> (*)();

}  // namespace detail

}  // namespace orm
