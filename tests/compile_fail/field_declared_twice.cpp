// Must not compile: the same field in two orm::column(...) declarations.
#include <orm/orm.hpp>
struct Note { std::int64_t id = 0; std::string text; };
template <> struct orm::model<Note> {
    static constexpr auto columns = orm::columns(orm::column(&Note::text, orm::length(5)), orm::column(&Note::text, orm::index));
};
int main() { return static_cast<int>(orm::table_of<Note>().columns.size()); }
