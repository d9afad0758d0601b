#pragma once
// orm::result: the rows of a raw statement, read into memory, with typed access.
//
//   auto r = conn.execute("SELECT id, name FROM author WHERE id > ?", 10);
//   for (const orm::row& row : r) std::cout << row.get<std::string>("name");
//   auto [id, name] = r.front().as<std::int64_t, std::string>();
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "orm/mapping/types.hpp"
#include "orm/value.hpp"

namespace orm {

/// One row of a result: values by position or column name.
class row {
public:
    row(const std::vector<value>& values, const std::vector<std::string>& columns) : values_(&values), columns_(&columns) {}
    /// Number of columns.
    std::size_t size() const { return values_->size(); }
    /// The raw value of column i.
    const value& operator[](std::size_t i) const { return values_->at(i); }
    /// Column i converted to T: `row.get<std::int64_t>(0)`. NULL needs an optional T.
    template <class T>
    T get(std::size_t i) const {
        return from_value<T>(values_->at(i));
    }
    /// Column `name` converted to T: `row.get<std::string>("title")`.
    template <class T>
    T get(std::string_view name) const {
        return get<T>(index_of(name));
    }
    /// The whole row as a tuple: `auto [id, title] = row.as<std::int64_t, std::string>();`
    template <class... Ts>
    std::tuple<Ts...> as() const {
        check_arity(sizeof...(Ts));
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return std::tuple<Ts...>{get<Ts>(I)...};
        }(std::index_sequence_for<Ts...>{});
    }
    /// Position of the column called `name`; throws orm::interface_error if there is none.
    std::size_t index_of(std::string_view name) const;

private:
    void check_arity(std::size_t wanted) const;
    const std::vector<value>* values_;
    const std::vector<std::string>* columns_;
};

/// The rows and counts of one executed statement.
class result {
public:
    result() = default;
    result(std::vector<std::string> columns, std::vector<std::vector<value>> rows, std::uint64_t affected_rows)
        : columns_(std::move(columns)), rows_(std::move(rows)), affected_rows_(affected_rows) {}

    /// Column names, in order.
    const std::vector<std::string>& columns() const { return columns_; }
    /// Number of rows.
    std::size_t size() const { return rows_.size(); }
    bool empty() const { return rows_.empty(); }
    /// Row i.
    orm::row at(std::size_t i) const { return {rows_.at(i), columns_}; }
    /// The first row; throws orm::interface_error when there is none.
    orm::row front() const;
    /// Rows changed by an INSERT / UPDATE / DELETE (matched rows on MySQL).
    std::uint64_t affected_rows() const { return affected_rows_; }
    /// The single value of a one-row, one-column result: `conn.execute("SELECT COUNT(*) FROM t").scalar<int>()`.
    template <class T>
    T scalar() const {
        return front().get<T>(0);
    }
    /// Every row as a tuple.
    template <class... Ts>
    std::vector<std::tuple<Ts...>> as() const {
        std::vector<std::tuple<Ts...>> out;
        out.reserve(rows_.size());
        for (std::size_t i = 0; i < rows_.size(); ++i) out.push_back(at(i).template as<Ts...>());
        return out;
    }

    /// Iteration over rows.
    class iterator {
    public:
        using value_type = orm::row;
        using difference_type = std::ptrdiff_t;
        iterator(const result* r, std::size_t i) : result_(r), index_(i) {}
        orm::row operator*() const { return result_->at(index_); }
        iterator& operator++() { ++index_; return *this; }
        iterator operator++(int) { auto copy = *this; ++index_; return copy; }
        bool operator==(const iterator& other) const { return index_ == other.index_; }
    private:
        const result* result_;
        std::size_t index_;
    };
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, rows_.size()}; }

private:
    std::vector<std::string> columns_;
    std::vector<std::vector<value>> rows_;
    std::uint64_t affected_rows_ = 0;
};

}  // namespace orm
