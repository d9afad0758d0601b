// Must not compile: session::add of an lvalue would keep a copy and leave the original without its key.
#include <orm/orm.hpp>
struct Author { std::int64_t id = 0; std::string name; };
int main() {
    orm::session s(orm::create_engine("sqlite://"));
    Author a{0, "Ada"};
    Author& added = s.add(a);
    return static_cast<int>(added.id);
}
