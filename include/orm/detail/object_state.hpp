#pragma once
// Internal: what a session knows about each object it owns (type-erased), and
// how to make the state of a T. Used by session.hpp and by session queries.
#include <algorithm>
#include <concepts>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "orm/error.hpp"
#include "orm/mapping/row.hpp"
#include "orm/mapping/table.hpp"

namespace orm {

/// Where an object stands in a session (session::status()).
enum class object_status : std::uint8_t {
    pending,     ///< added, not yet inserted
    persistent,  ///< has a row in the database
    deleted,     ///< remove()d: deleted at the next flush, or already deleted and awaiting commit
    detached,    ///< no longer tracked (expunged, rolled back, deleted and committed, closed): still readable while the session lives
    transient,   ///< not the session's object at all
};

namespace detail {

/// An object's identity key: its primary-key values in key order. A one-column
/// key (the common case) is held inline, so a state needs no allocation for it.
class key_values {
public:
    key_values() = default;
    /// The key made of `values` (copied).
    explicit key_values(std::span<const value> values) {
        for (const value& v : values) push_back(v);
    }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    const value* begin() const noexcept { return size_ > 1 ? more_.data() : &first_; }
    const value* end() const noexcept { return begin() + size_; }
    const value& operator[](std::size_t i) const noexcept { return begin()[i]; }
    /// Appends the next column's value.
    void push_back(value v) {
        if (size_ == 0) {
            first_ = std::move(v);
        } else {
            if (size_ == 1) {
                more_.reserve(2);
                more_.push_back(std::move(first_));
                first_ = value{};
            }
            more_.push_back(std::move(v));
        }
        ++size_;
    }
    void clear() noexcept {
        first_ = value{};
        more_.clear();
        size_ = 0;
    }
    operator std::span<const value>() const noexcept { return {begin(), size_}; }
    friend bool operator==(const key_values& a, std::span<const value> b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }
    friend bool operator==(const key_values& a, const key_values& b) { return a == std::span<const value>(b); }

private:
    value first_;             ///< the value of a one-column key
    std::vector<value> more_;  ///< every value of a key of several columns
    std::size_t size_ = 0;
};

/// What the session knows about one object it owns (type-erased).
struct object_state {
    virtual ~object_state() = default;
    /// Destroys this state and gives its memory back to `memory`, where it was made.
    virtual void destroy(std::pmr::memory_resource& memory) noexcept = 0;
    /// The object's address (stable for the object's life in the session).
    virtual void* object() = 0;
    /// Every field's value, in field order.
    virtual std::vector<value> values() const = 0;
    /// One field's value.
    virtual value get(std::size_t field) const = 0;
    /// Writes one field (throws orm::data_error naming the column).
    virtual void set(std::size_t field, const value& v) = 0;
    /// Reads one field from column `column` of the cursor's current row (hydration).
    virtual void read(std::size_t field, driver::cursor& rows, std::size_t column) = 0;
    /// Makes `current` (which must equal values()) the snapshot, and keeps a
    /// typed copy of the object for same_as_snapshot().
    virtual void take_snapshot(std::vector<value> current) = 0;
    /// Makes the object as it is now the snapshot, keeping only the typed copy:
    /// snapshot() builds the values from it the first time they are asked for
    /// (a loaded object that never changes never pays for them).
    virtual void take_typed_snapshot() = 0;
    /// True when every field still equals the typed copy taken with the
    /// snapshot: a cheap proof of "unchanged". False means "compare values()".
    virtual bool same_as_snapshot() const = 0;
    /// Appends the fields that differ from the typed copy to `out`, in field order,
    /// compared as C++ values (no orm::value built); false before the first
    /// snapshot (a pending object): then compare values().
    virtual bool append_changed_fields(std::vector<std::size_t>& out) const = 0;

    /// Values as last loaded or flushed (empty before the first snapshot).
    const std::vector<value>& snapshot() const {
        if (!snapshot_built_) {
            snapshot_ = std::make_unique<std::vector<value>>(snapshot_from_copy());
            snapshot_built_ = true;
        }
        static const std::vector<value> none;
        return snapshot_ ? *snapshot_ : none;
    }

    // Fields ordered so that a state packs tightly: a session holds one per object.
    const table_info* table = nullptr;
    key_values key;                   ///< identity key (persistent and deleted)
    std::uint64_t sequence = 0;       ///< order of add()
    object_state* earlier = nullptr;  ///< the previous state in the session's add/load order
    object_state* later = nullptr;    ///< the next one
    /// The key as of the last commit or load, kept only once a flush changed the
    /// key (restored on rollback); none: the key is still that one.
    std::unique_ptr<key_values> committed_key;
    int added_depth = -1;         ///< savepoint depth at add() (-1: loaded)
    int inserted_depth = -1;      ///< savepoint depth of the flush that inserted it (-1: loaded)
    int deleted_depth = -1;       ///< savepoint depth of the flush that deleted it
    int removed_depth = -1;       ///< savepoint depth at remove() (undone by a rollback to that depth)
    object_status status = object_status::pending;
    bool expired = false;         ///< values unknown: reloaded by the next get/all/refresh
    bool delete_flushed = false;  ///< deleted: the DELETE already ran

protected:
    mutable bool snapshot_built_ = true;  ///< false: the snapshot's values are still to be built from the typed copy
    /// The snapshot's values once built (see snapshot()); none until a change needs them.
    mutable std::unique_ptr<std::vector<value>> snapshot_;
    /// The values of the typed copy taken by take_typed_snapshot().
    virtual std::vector<value> snapshot_from_copy() const = 0;
};

/// a == b for one field: with the type's own == where it has one, else by its orm::value.
template <class F>
bool field_equal(const F& a, const F& b) {
    if constexpr (std::equality_comparable<F>) return a == b;
    else return type_traits<F>::to_value(a) == type_traits<F>::to_value(b);
}

/// True when every column of `a` equals that of `b` (equal columns imply equal values()).
template <class T>
bool fields_equal(const T& a, const T& b) {
    return [&]<std::size_t... C>(std::index_sequence<C...>) {
        return (field_equal(boost::pfr::get<column_fields<T>[C]>(a), boost::pfr::get<column_fields<T>[C]>(b)) && ...);
    }(std::make_index_sequence<column_count<T>>{});
}

template <class T>
struct typed_state final : object_state {
    // The object lives inside its state (one allocation; the state never moves).
    explicit typed_state(T&& value) : held(std::move(value)) {}
    void destroy(std::pmr::memory_resource& memory) noexcept override {
        typed_state* self = this;
        std::destroy_at(self);
        memory.deallocate(self, sizeof(typed_state), alignof(typed_state));
    }
    void* object() override { return &held; }
    std::vector<value> values() const override { return row_codec<T>::values(held); }
    value get(std::size_t field) const override { return row_codec<T>::getters[field](held); }
    void take_snapshot(std::vector<value> current) override {
        take_typed_snapshot();
        snapshot_ = std::make_unique<std::vector<value>>(std::move(current));
        snapshot_built_ = true;
    }
    void take_typed_snapshot() override {
        if (original) *original = held;
        else original.emplace(held);
        snapshot_.reset();
        snapshot_built_ = false;
    }
    bool same_as_snapshot() const override { return original && fields_equal(*original, held); }
    bool append_changed_fields(std::vector<std::size_t>& out) const override {
        if (!original) return false;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            ((field_equal(boost::pfr::get<column_fields<T>[C]>(*original), boost::pfr::get<column_fields<T>[C]>(held)) ? void() : out.push_back(C)), ...);
        }(std::make_index_sequence<column_count<T>>{});
        return true;
    }
    void set(std::size_t field, const value& v) override {
        try {
            row_codec<T>::setters[field](held, v);
        } catch (const data_error& e) {
            rethrow_with_column(e, table->name, table->columns[field].name);
        }
    }
    void read(std::size_t field, driver::cursor& rows, std::size_t column) override {
        try {
            row_codec<T>::readers[field](held, rows, column);
        } catch (const data_error& e) {
            rethrow_with_column(e, table->name, table->columns[field].name);
        }
    }
    T held;
    std::optional<T> original;  ///< typed copy of the object at the last snapshot (none before the first)

protected:
    std::vector<value> snapshot_from_copy() const override { return row_codec<T>::values(*original); }
};

/// Destroys a state made by make_state() in the memory it came from.
struct state_deleter {
    std::pmr::memory_resource* memory;
    void operator()(object_state* state) const noexcept { state->destroy(*memory); }
};
/// An object state owned by its session, in the session's memory.
using state_ptr = std::unique_ptr<object_state, state_deleter>;

/// A state holding `object`, made in `memory`.
template <class T>
state_ptr make_state_of(std::pmr::memory_resource& memory, T&& object) {
    void* place = memory.allocate(sizeof(typed_state<T>), alignof(typed_state<T>));
    try {
        auto* state = ::new (place) typed_state<T>(std::move(object));
        state->table = &table_of<T>();
        return state_ptr(state, state_deleter{&memory});
    } catch (...) {
        memory.deallocate(place, sizeof(typed_state<T>), alignof(typed_state<T>));
        throw;
    }
}

/// A state holding a default T, to be filled from a row.
template <class T>
state_ptr make_state(std::pmr::memory_resource& memory) {
    return make_state_of<T>(memory, T{});
}

using state_factory = state_ptr (*)(std::pmr::memory_resource&);

/// A session's objects by address.
using state_map = std::pmr::unordered_map<const void*, state_ptr>;

}  // namespace detail

}  // namespace orm
