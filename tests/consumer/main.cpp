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
    Author a{0, "Ada"};
    conn.insert(a);
    conn.close();
    orm::session s(engine);
    Author& bob = s.add(Author{0, "Bob"});
    s.commit();
    if (bob.id == 0) return 1;  // the flush wrote the generated key into the session's object
    auto again = engine.connect();
    std::cout << "consumer: " << again.all<Author>().size() << " authors\n";
}
