// A relationship member is not a column: column options on it are refused at compile time.
#include <orm/orm.hpp>

struct Owner {
    std::int64_t id = 0;
};
struct Pet {
    std::int64_t id = 0;
    std::int64_t owner_id = 0;
    orm::to_one<Owner> owner;
};
template <>
struct orm::model<Pet> {
    static constexpr auto columns = orm::columns(orm::column(&Pet::owner, orm::index));
    static constexpr auto relationships = orm::relationships(orm::many_to_one(&Pet::owner, &Pet::owner_id));
};

int main() { return static_cast<int>(orm::table_of<Pet>().columns.size()); }
