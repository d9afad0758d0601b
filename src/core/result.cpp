#include "orm/result.hpp"

#include "orm/error.hpp"
#include "orm/mapping/row.hpp"

namespace orm {

std::size_t row::index_of(std::string_view name) const {
    for (std::size_t i = 0; i < columns_->size(); ++i)
        if ((*columns_)[i] == name) return i;
    throw interface_error("orm: the result has no column named '" + std::string(name) + "'");
}

void row::check_arity(std::size_t wanted) const {
    if (wanted != values_->size())
        throw interface_error("orm: row.as<...>() asks for " + std::to_string(wanted) + " columns but the row has " +
                              std::to_string(values_->size()));
}

orm::row result::front() const {
    if (rows_.empty()) throw interface_error("orm: the result has no rows");
    return at(0);
}

namespace detail {

void rethrow_with_column(const data_error& e, std::string_view table, std::string_view column) {
    std::string where = table.empty() ? std::string(column) : std::string(table) + "." + std::string(column);
    throw data_error("orm: column " + where + ": " + e.what(), e.info());
}

}  // namespace detail

}  // namespace orm
