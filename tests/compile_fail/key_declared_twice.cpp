// Must not compile: a primary key both as a column option and as `primary_key`.
#include <orm/orm.hpp>
struct Pair { std::int64_t a = 0; std::int64_t b = 0; };
template <> struct orm::model<Pair> {
    static constexpr auto columns = orm::columns(orm::column(&Pair::a, orm::primary_key));
    static constexpr auto primary_key = orm::primary_key(&Pair::a, &Pair::b);
};
int main() { return static_cast<int>(orm::table_of<Pair>().columns.size()); }
