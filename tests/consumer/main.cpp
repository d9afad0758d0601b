// The consumer project's program: maps a struct and counts rows in SQLite.
#include <orm/orm.hpp>

#include <iostream>

struct Author {
    std::int64_t id = 0;
    std::string name;
};

int main() {
    auto engine = orm::create_engine("sqlite://");
    orm::create_all<Author>(engine);
    auto conn = engine.connect();
    Author a{.name = "Ada"}, b{.name = "Bob"};
    conn.insert(a);
    conn.insert(b);
    std::cout << "consumer: " << conn.all<Author>().size() << " authors\n";
}
