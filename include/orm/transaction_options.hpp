#pragma once
// How a transaction begins (isolation level, write intent) and what rows a read locks.
//
//   auto tx = conn.begin({.isolation = orm::isolation::serializable});
//   s.run_transaction(fn, {}, {.write = true});                 // SQLite: BEGIN IMMEDIATE
//   Account* a = s.get<Account>(orm::for_update, 1);             // SELECT ... FOR UPDATE
//   conn.select<Job>().where(...).lock(orm::for_update.skip_locked()).limit(10).all();
#include <cstdint>
#include <optional>

namespace orm {

/// SQL's isolation levels. A backend that has only stronger ones gives those
/// (SQLite's transactions are always serializable).
enum class isolation : std::uint8_t { read_uncommitted, read_committed, repeatable_read, serializable };

/// How a transaction begins: `conn.begin({.isolation = orm::isolation::read_committed})`.
struct begin_options {
    /// none: the server's default (MariaDB: REPEATABLE READ). Applies to this transaction only.
    std::optional<orm::isolation> isolation;
    /// The transaction will write: SQLite takes its write lock at BEGIN (BEGIN IMMEDIATE)
    /// instead of at the first write, so two read-modify-write transactions wait
    /// for each other instead of one failing when it upgrades. No effect on MariaDB.
    bool write = false;
};

/// A row lock a read takes until its transaction ends: orm::for_update (exclusive),
/// orm::for_share (shared), each `.nowait()` (fail at once on a locked row) or
/// `.skip_locked()` (leave locked rows out). On SQLite, which locks the whole
/// database, a locking read needs a transaction that holds the write lock (see
/// begin_options::write); a session begins one by itself when a locking read is
/// its transaction's first statement.
struct lock_request {
    enum class strength : std::uint8_t { update, share };
    enum class waiting : std::uint8_t { wait, nowait, skip_locked };
    strength mode = strength::update;
    waiting wait = waiting::wait;
    /// The same lock, failing at once where a row is locked.
    constexpr lock_request nowait() const { return {mode, waiting::nowait}; }
    /// The same lock, leaving locked rows out of the result.
    constexpr lock_request skip_locked() const { return {mode, waiting::skip_locked}; }
};
/// SELECT ... FOR UPDATE: exclusive row locks until the transaction ends.
inline constexpr lock_request for_update{};
/// SELECT ... FOR SHARE (MariaDB: LOCK IN SHARE MODE): shared row locks.
inline constexpr lock_request for_share{lock_request::strength::share, lock_request::waiting::wait};

}  // namespace orm
