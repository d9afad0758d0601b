// An orm::to_one member that model<T>::relationships does not declare is refused at compile time.
#include <orm/orm.hpp>

struct Owner {
    std::int64_t id = 0;
};
struct Pet {
    std::int64_t id = 0;
    std::int64_t owner_id = 0;
    orm::to_one<Owner> owner;  // not declared
};

int main() { return static_cast<int>(orm::table_of<Pet>().columns.size()); }
