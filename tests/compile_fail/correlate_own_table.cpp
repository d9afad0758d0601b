// Must not compile: a subquery correlated to its own table (its columns would name the inner rows).
#include <orm/orm.hpp>
struct Track { std::int64_t id = 0; std::int64_t album_id = 0; std::int64_t milliseconds = 0; };
int main() {
    auto q = orm::select<Track>().correlate<Track>().where(orm::col(&Track::album_id) == orm::col(&Track::album_id));
    return static_cast<int>(q.statement().columns.size());
}
