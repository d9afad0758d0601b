// A many-to-one whose foreign-key column has another type than the target's key is refused at compile time.
#include <orm/orm.hpp>

struct Owner {
    std::int64_t id = 0;
};
struct Pet {
    std::int64_t id = 0;
    std::string owner_id;
    orm::to_one<Owner> owner;
};
template <>
struct orm::model<Pet> {
    static constexpr auto relationships = orm::relationships(orm::many_to_one(&Pet::owner, &Pet::owner_id));
};

int main() { return static_cast<int>(orm::table_of<Pet>().columns.size()); }
