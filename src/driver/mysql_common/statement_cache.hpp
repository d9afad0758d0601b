#pragma once
// A bounded map from SQL text to a prepared statement, evicting the least
// recently used entry when full: the per-connection statement cache of both
// MySQL / MariaDB drivers. Internal: not installed, includes no client library.
#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace orm::driver::mysql_common {

/// SQL text -> `Statement`, at most `capacity` entries, least recently used evicted first.
/// Entries have stable addresses until erased or evicted.
template <class Statement>
class statement_cache {
public:
    explicit statement_cache(std::size_t capacity) : capacity_(capacity) {}

    /// The statement cached for `sql` (now the most recently used), or nullptr.
    Statement* find(const std::string& sql) {
        const auto found = entries_.find(sql);
        if (found == entries_.end()) return nullptr;
        recency_.splice(recency_.begin(), recency_, found->second.recency);
        return &found->second.statement;
    }

    /// Caches `statement` for `sql` (which must not be cached yet), first
    /// evicting (destroying) the least recently used entry when the cache is full.
    Statement& insert(const std::string& sql, Statement statement) {
        if (entries_.size() >= capacity_ && !recency_.empty()) {
            entries_.erase(entries_.find(*recency_.back()));  // by iterator: the key lives in the node
            recency_.pop_back();
        }
        auto [position, inserted] = entries_.emplace(sql, entry{std::move(statement), {}});
        recency_.push_front(&position->first);
        position->second.recency = recency_.begin();
        return position->second.statement;
    }

    /// Drops the statement cached for `sql`, if any.
    void erase(const std::string& sql) {
        const auto found = entries_.find(sql);
        if (found == entries_.end()) return;
        recency_.erase(found->second.recency);
        entries_.erase(found);
    }

    /// Drops every statement, most recently used first.
    void clear() {
        for (const std::string* key : recency_) entries_.erase(entries_.find(*key));
        recency_.clear();
    }

    std::size_t size() const { return entries_.size(); }

private:
    struct entry {
        Statement statement;
        std::list<const std::string*>::iterator recency;  ///< position in recency_
    };

    std::size_t capacity_;
    std::unordered_map<std::string, entry> entries_;
    std::list<const std::string*> recency_;  ///< keys of entries_, most recently used first
};

}  // namespace orm::driver::mysql_common
