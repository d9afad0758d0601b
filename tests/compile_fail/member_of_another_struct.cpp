// Must not compile: model<Book>::columns names a member of Author.
#include <orm/orm.hpp>
struct Author { std::int64_t id = 0; std::string name; };
struct Book { std::int64_t id = 0; std::string title; };
template <> struct orm::model<Book> {
    static constexpr auto columns = orm::columns(orm::column(&Author::name, orm::length(10)));
};
int main() { return static_cast<int>(orm::table_of<Book>().columns.size()); }
