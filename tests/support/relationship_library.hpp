#pragma once
// Test support: the library the relationship tests start from.
#include "backend.hpp"

namespace orm_test {

/// Fresh writer, novel, review, shelf and item tables holding two writers, three
/// novels (two by Ada, id 1) and two reviews per novel (ids 100..105).
inline orm::engine seeded_library(orm::engine_options options = {}) {
    using namespace rel;
    auto db = fresh_engine<Writer, Novel, Review, Shelf, Item>(std::move(options));
    seed(db, Writer{.id = 1, .name = "Ada"}, Writer{.id = 2, .name = "Bo"});
    seed(db, Novel{.id = 10, .writer_id = 1, .title = "Engines"}, Novel{.id = 11, .writer_id = 1, .title = "Notes"},
         Novel{.id = 12, .writer_id = 2, .title = "Tides"});
    seed(db, Review{.id = 100, .novel_id = 10, .stars = 5}, Review{.id = 101, .novel_id = 10, .stars = 4},
         Review{.id = 102, .novel_id = 11, .stars = 3}, Review{.id = 103, .novel_id = 11, .stars = 2},
         Review{.id = 104, .novel_id = 12, .stars = 1}, Review{.id = 105, .novel_id = 12, .stars = 5});
    return db;
}

}  // namespace orm_test
