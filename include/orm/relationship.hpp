#pragma once
// Relationships: members that link mapped objects, and how model<T> declares them.
//
//   struct Author { std::int64_t id = 0; std::string name; orm::collection<Book> books; };
//   struct Book { std::int64_t id = 0; std::int64_t author_id = 0; std::string title; orm::to_one<Author> author; };
//
//   template <> struct orm::model<Book> {
//       static constexpr auto relationships = orm::relationships(
//           orm::many_to_one(&Book::author, &Book::author_id, orm::back_populates(&Author::books)));
//   };
//   template <> struct orm::model<Author> {
//       static constexpr auto relationships = orm::relationships(
//           orm::one_to_many(&Author::books, &Book::author_id, orm::back_populates(&Book::author)));
//   };
//
//   book->author->name;                 // loaded on first access through the session (load::lazy)
//   book.author = &ada;                 // links: the flush writes ada's key into book.author_id
//   ada.books.push_back(book);          // the same link, from the other side
//
// The mapper does not treat relationship members as columns. The objects they
// point to are the session's own objects, valid for as long as the session lives.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "orm/error.hpp"
#include "orm/mapping/reflection.hpp"

namespace orm {

/// A relationship was touched that is not loaded and cannot be loaded now: its
/// strategy is load::raise (or raise_on_sql and loading needs SQL), or its object
/// is not owned by a session (a copy, a transient or a detached object).
class not_loaded_error : public interface_error {
public:
    using interface_error::interface_error;
};

namespace detail {

struct object_state;
class to_one_base;
class collection_base;

/// What loads and links relationship members: the session that owns their object.
/// Internal; the session installs itself into every relationship member of its objects.
class relationship_loader {
public:
    /// Loads `member` (of the object `owner` holds): sets its target, or throws not_loaded_error.
    virtual void load(object_state& owner, to_one_base& member) = 0;
    /// Loads the collection `member` (of the object `owner` holds).
    virtual void load(object_state& owner, collection_base& member) = 0;
    /// `member` was assigned by the user (`before`: its previous target if it was loaded).
    virtual void linked(object_state& owner, to_one_base& member, void* before) = 0;
    /// `item` was appended to / removed from the collection `member` by the user.
    virtual void appended(object_state& owner, collection_base& member, void* item) = 0;
    virtual void removed(object_state& owner, collection_base& member, void* item) = 0;

protected:
    ~relationship_loader() = default;
};

/// The owning session and object of a relationship member (empty: not owned).
struct relationship_hook {
    relationship_loader* loader = nullptr;
    object_state* owner = nullptr;
};

/// The untyped part of orm::to_one<T>: the target's address and whether it is known.
class to_one_base : public relationship_member {
public:
    /// True when the target is known (loaded, assigned, or known to be none).
    bool loaded() const noexcept { return loaded_; }

    // ---- for the session (not part of the public API) ----
    void* known_target() const noexcept { return target_; }
    /// Sets the target as loaded from the database (not a change to flush).
    void set_loaded(void* target) noexcept {
        target_ = target;
        loaded_ = true;
    }
    /// Forgets the target (the next access loads it again).
    void unload() noexcept {
        target_ = nullptr;
        loaded_ = false;
        assigned_ = false;
    }
    /// True when the user assigned a target since the last flush wrote the foreign key.
    bool assigned() const noexcept { return assigned_; }
    void clear_assigned() noexcept { assigned_ = false; }
    void attach(relationship_hook hook) noexcept { hook_ = hook; }
    /// The strategy a query's loading option set for this object's member (0: none; else strategy + 1).
    std::uint8_t strategy_override() const noexcept { return override_; }
    void set_strategy_override(std::uint8_t strategy_plus_one) noexcept { override_ = strategy_plus_one; }

protected:
    to_one_base() = default;
    explicit to_one_base(void* target) noexcept : target_(target), loaded_(true), assigned_(true) {}
    // A copy links to the same target but belongs to no session (its hook is not copied).
    to_one_base(const to_one_base& other) noexcept : target_(other.target_), loaded_(other.loaded_), assigned_(other.assigned_) {}
    to_one_base& operator=(const to_one_base& other) noexcept {
        target_ = other.target_;
        loaded_ = other.loaded_;
        assigned_ = other.assigned_;
        return *this;  // keeps its own hook: the object stays the session's
    }
    ~to_one_base() = default;
    /// The target, loading it through the owning session first if needed.
    void* resolve(std::string_view target_type) const;
    /// Links to `target` (a user change, written by the next flush).
    void assign(void* target);

private:
    mutable void* target_ = nullptr;
    mutable relationship_hook hook_;
    mutable bool loaded_ = false;
    bool assigned_ = false;
    std::uint8_t override_ = 0;  // like the hook, not copied: it is the session's
};

/// The untyped part of orm::collection<T>: the items' addresses.
class collection_base : public relationship_member {
public:
    /// True when the items are known (loaded, or the object is new).
    bool loaded() const noexcept { return loaded_; }

    // ---- for the session (not part of the public API) ----
    const std::vector<void*>& known_items() const noexcept { return items_; }
    /// Items the user removed since the last flush (which nulls their foreign key or deletes them).
    const std::vector<void*>& removed_items() const noexcept { return removed_; }
    /// True when the user appended items since the last flush (whose keys it must write).
    bool appended_items() const noexcept { return appended_; }
    /// After a flush wrote the collection's changes.
    void clear_changes() noexcept {
        removed_.clear();
        appended_ = false;
    }
    /// Sets the items as loaded from the database.
    void set_loaded(std::vector<void*> items) {
        items_ = std::move(items);
        loaded_ = true;
    }
    /// Forgets the items (the next access loads them again); only without unflushed changes.
    void unload() noexcept {
        if (appended_ || !removed_.empty()) return;
        items_.clear();
        loaded_ = false;
    }
    /// Marks an empty, unloaded collection as loaded (a new object has no rows yet).
    void mark_loaded() noexcept { loaded_ = true; }
    /// Adds / drops an item to keep this side in step with the other (no change to flush).
    void add_known(void* item) {
        if (std::find(items_.begin(), items_.end(), item) == items_.end()) items_.push_back(item);
    }
    void drop_known(void* item) { std::erase(items_, item); }
    void attach(relationship_hook hook) noexcept { hook_ = hook; }
    /// The strategy a query's loading option set for this object's member (0: none; else strategy + 1).
    std::uint8_t strategy_override() const noexcept { return override_; }
    void set_strategy_override(std::uint8_t strategy_plus_one) noexcept { override_ = strategy_plus_one; }

protected:
    collection_base() = default;
    collection_base(const collection_base& other)
        : items_(other.items_), removed_(other.removed_), loaded_(other.loaded_), appended_(other.appended_) {}
    collection_base& operator=(const collection_base& other) {
        items_ = other.items_;
        removed_ = other.removed_;
        loaded_ = other.loaded_;
        appended_ = other.appended_;
        return *this;
    }
    ~collection_base() = default;
    /// The items, loading them through the owning session first if needed.
    const std::vector<void*>& resolve(std::string_view item_type) const;
    void append(void* item, std::string_view item_type);
    bool remove(void* item, std::string_view item_type);

private:
    mutable std::vector<void*> items_;
    std::vector<void*> removed_;
    mutable relationship_hook hook_;
    mutable bool loaded_ = false;
    bool appended_ = false;
    std::uint8_t override_ = 0;  // like the hook, not copied: it is the session's
};

}  // namespace detail

/// A reference to one related object (the "one" side: a book's author). Reads like
/// a pointer; assigning links: `book.author = &ada;` (the flush writes the key).
/// An unloaded target is loaded on first access through the session that owns
/// the object. The target is the session's object: valid while the session lives.
template <class T>
class to_one : public detail::to_one_base {
public:
    using element_type = T;
    to_one() = default;
    /// Links to `target` (nullptr: to none): `Book{.title = "Notes", .author = &ada}`.
    to_one(T* target) noexcept : to_one_base(target) {}  // NOLINT: implicit, reads like a pointer
    to_one(const to_one&) = default;
    to_one& operator=(const to_one&) = default;
    /// Links to `target` (nullptr unlinks): written by the next flush.
    to_one& operator=(T* target) {
        assign(target);
        return *this;
    }
    /// The target (loading it if needed), or nullptr for none.
    T* get() const { return static_cast<T*>(resolve(type_name<T>())); }
    /// The target; throws orm::interface_error when there is none.
    T* operator->() const { return &**this; }
    T& operator*() const {
        T* target = get();
        if (!target) throw interface_error("orm: dereferenced an empty orm::to_one<" + std::string(type_name<T>()) + ">");
        return *target;
    }
    /// True when there is a target (loading it if needed).
    explicit operator bool() const { return get() != nullptr; }
    friend bool operator==(const to_one& a, const T* b) { return a.get() == b; }
};

/// The related objects of the "many" side (an author's books), as pointers to the
/// session's objects: `for (Book* b : ada.books)`. Loaded on first access;
/// `push_back(book)` links a book (the flush writes the key), `remove(book)` unlinks it.
/// Iterators are invalidated by any change to the collection.
template <class T>
class collection : public detail::collection_base {
public:
    using element_type = T;
    using value_type = T*;
    /// Iterates the items as T*.
    class iterator {
    public:
        using value_type = T*;
        using difference_type = std::ptrdiff_t;
        using iterator_category = std::forward_iterator_tag;
        iterator() = default;
        explicit iterator(std::vector<void*>::const_iterator at) : at_(at) {}
        T* operator*() const { return static_cast<T*>(*at_); }
        iterator& operator++() {
            ++at_;
            return *this;
        }
        iterator operator++(int) { return iterator(at_++); }
        friend bool operator==(const iterator&, const iterator&) = default;

    private:
        std::vector<void*>::const_iterator at_;
    };
    collection() = default;
    iterator begin() const { return iterator(resolve(type_name<T>()).begin()); }
    iterator end() const { return iterator(resolve(type_name<T>()).end()); }
    std::size_t size() const { return resolve(type_name<T>()).size(); }
    bool empty() const { return size() == 0; }
    T* operator[](std::size_t i) const { return static_cast<T*>(resolve(type_name<T>()).at(i)); }
    /// True when `item` is in the collection.
    bool contains(const T& item) const {
        const auto& items = resolve(type_name<T>());
        return std::find(items.begin(), items.end(), static_cast<const void*>(&item)) != items.end();
    }
    /// Links `item` (a session object) to the owner; nothing if it is already here.
    void push_back(T& item) { append(&item, type_name<T>()); }
    /// Unlinks `item`: the flush nulls its foreign key, or deletes it (delete-orphan). False if it was not here.
    bool remove(T& item) { return collection_base::remove(&item, type_name<T>()); }
    /// The items as a vector of pointers.
    std::vector<T*> to_vector() const { return {begin(), end()}; }
};

namespace detail {
/// Copies the column fields of `from` into `to`, leaving `to`'s relationship members as they are
/// (they point to `to`'s session's objects; `from`'s may point to another session's).
template <class T>
void copy_columns(T& to, const T& from) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto copy = [&]<std::size_t F>(std::integral_constant<std::size_t, F>) {
            using field = std::remove_cvref_t<decltype(boost::pfr::get<F>(to))>;
            if constexpr (!std::is_base_of_v<relationship_member, field>) boost::pfr::get<F>(to) = boost::pfr::get<F>(from);
        };
        (copy(std::integral_constant<std::size_t, I>{}), ...);
    }(std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
}
/// Empties every relationship member of `object` (a copy about to be added: its links may
/// point to objects of another session).
template <class T>
void clear_relationships(T& object) {
    boost::pfr::for_each_field(object, [](auto& field) {
        using F = std::remove_cvref_t<decltype(field)>;
        if constexpr (std::is_base_of_v<relationship_member, F>) field = F{};
    });
}
}  // namespace detail

/// How a relationship loads when first touched (a default per relationship).
enum class load_strategy : std::uint8_t {
    lazy,          ///< one SELECT on first access (none for a many-to-one already in the identity map)
    selectin,      ///< loaded with the objects that own it: one SELECT ... WHERE key IN (...) per batch of them
    raise,         ///< first access throws orm::not_loaded_error
    raise_on_sql,  ///< like raise, but a many-to-one found in the identity map is allowed
};

/// Which side holds the foreign key.
enum class relationship_kind : std::uint8_t {
    many_to_one,  ///< this table's foreign key points at the target's key (to_one)
    one_to_many,  ///< the target's foreign key points at this table's key (collection)
};

/// Options of a relationship, gathered from its option objects.
struct relationship_options {
    load_strategy strategy = load_strategy::lazy;
    bool delete_orphan = false;  ///< a child removed from the collection is deleted (one_to_many)
    bool cascade_remove = false;  ///< removing the parent removes its children (one_to_many)
    bool passive_deletes = false;  ///< children not loaded are left to the database's ON DELETE CASCADE
    bool post_update = false;      ///< the foreign key is written by an UPDATE after the INSERTs (breaks cycles)
};

/// Load strategies, as relationship options: `orm::one_to_many(..., orm::load::raise)`.
namespace load {
struct strategy_option {
    load_strategy value;
    constexpr void apply(relationship_options& o) const { o.strategy = value; }
};
inline constexpr strategy_option lazy{load_strategy::lazy};
inline constexpr strategy_option selectin{load_strategy::selectin};
inline constexpr strategy_option raise{load_strategy::raise};
inline constexpr strategy_option raise_on_sql{load_strategy::raise_on_sql};
}  // namespace load

/// Cascades, as relationship options.
namespace cascade {
/// A child removed from a one-to-many collection is deleted at the next flush (else its key is set to NULL).
inline constexpr struct delete_orphan_t {
    constexpr void apply(relationship_options& o) const { o.delete_orphan = true; }
} delete_orphan{};
/// Removing the parent (session::remove) removes its children too, and theirs along their
/// own cascades: the children are loaded (one IN query per level) and deleted before the parent.
inline constexpr struct remove_t {
    constexpr void apply(relationship_options& o) const { o.cascade_remove = true; }
} remove{};
}  // namespace cascade

/// With orm::cascade::remove: children that are not loaded are not loaded to be deleted; the
/// foreign key's `ON DELETE CASCADE` (required, checked at first use) deletes them with the parent.
inline constexpr struct passive_deletes_t {
    constexpr void apply(relationship_options& o) const { o.passive_deletes = true; }
} passive_deletes{};

/// On a many-to-one with an optional foreign key: rows that point at each other in a cycle
/// (a.partner = &b, b.partner = &a) are inserted with the key NULL and then updated, as
/// SQLAlchemy's post_update; before such rows are deleted, the key is set to NULL.
inline constexpr struct post_update_t {
    constexpr void apply(relationship_options& o) const { o.post_update = true; }
} post_update{};

/// The relationship on the other side that mirrors this one in memory:
/// `orm::back_populates(&Author::books)`.
template <class C, class M>
struct back_populates_spec {
    M C::*member;
};
template <class C, class M>
constexpr back_populates_spec<C, M> back_populates(M C::*member) {
    static_assert(std::is_base_of_v<relationship_member, M>, "orm::back_populates names a member that is not an orm::to_one or orm::collection");
    return {member};
}

namespace detail {
template <class O>
struct is_back_populates : std::false_type {};
template <class C, class M>
struct is_back_populates<back_populates_spec<C, M>> : std::true_type {};

template <class O>
concept relationship_option = is_back_populates<O>::value || requires(const O& o, relationship_options& r) { o.apply(r); };

/// The back_populates among `options` (at most one), or nullptr.
template <class... O>
constexpr auto back_of(const O&... options) {
    constexpr std::size_t count = (std::size_t{0} + ... + (is_back_populates<O>::value ? 1 : 0));
    static_assert(count <= 1, "orm: a relationship has two orm::back_populates");
    if constexpr (count == 0) {
        return nullptr;
    } else {
        constexpr std::size_t at = [] {
            std::size_t i = 0, found = 0;
            ((is_back_populates<O>::value ? void(found = i) : void(), ++i), ...);
            return found;
        }();
        return std::get<at>(std::tie(options...));
    }
}

template <class... O>
constexpr relationship_options options_of(const O&... options) {
    relationship_options out;
    [[maybe_unused]] auto apply = [&](const auto& option) {
        if constexpr (!is_back_populates<std::remove_cvref_t<decltype(option)>>::value) option.apply(out);
    };
    (apply(options), ...);
    return out;
}
}  // namespace detail

/// A declared relationship: member `member` of Owner, through foreign-key column
/// `foreign` of FkOwner (Owner for many_to_one, the target for one_to_many).
template <class Owner, class Member, class FkOwner, class Fk, class Back>
struct relationship_spec {
    relationship_kind kind;
    Member Owner::*member;
    Fk FkOwner::*foreign;
    Back back;  ///< a back_populates_spec, or nullptr
    relationship_options options;
};

/// A many-to-one: `member` (an orm::to_one<Target>) reached through this struct's
/// foreign-key column `foreign`, which holds the target's primary key:
/// `orm::many_to_one(&Book::author, &Book::author_id, orm::back_populates(&Author::books))`.
/// The foreign key constraint is implied (declare it with orm::foreign_key for ON DELETE actions).
template <class C, class T, class Fk, detail::relationship_option... O>
constexpr auto many_to_one(to_one<T> C::*member, Fk C::*foreign, const O&... options) {
    using back_type = decltype(detail::back_of(options...));
    return relationship_spec<C, to_one<T>, C, Fk, back_type>{relationship_kind::many_to_one, member, foreign,
                                                             detail::back_of(options...), detail::options_of(options...)};
}

/// A one-to-many: `member` (an orm::collection<Child>) holds the children whose
/// foreign-key column `foreign` holds this struct's primary key:
/// `orm::one_to_many(&Author::books, &Book::author_id, orm::back_populates(&Book::author))`.
template <class C, class Child, class Fk, detail::relationship_option... O>
constexpr auto one_to_many(collection<Child> C::*member, Fk Child::*foreign, const O&... options) {
    using back_type = decltype(detail::back_of(options...));
    return relationship_spec<C, collection<Child>, Child, Fk, back_type>{relationship_kind::one_to_many, member, foreign,
                                                                         detail::back_of(options...), detail::options_of(options...)};
}

/// The relationship declarations of a model: `static constexpr auto relationships = orm::relationships(...)`.
template <class... S>
constexpr std::tuple<S...> relationships(const S&... specs) {
    return {specs...};
}

}  // namespace orm
