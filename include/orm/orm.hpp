#pragma once
// The umbrella header: everything a user of orm needs.
//
//   #include <orm/orm.hpp>
//   struct Author { std::int64_t id = 0; std::string name; };
//   auto engine = orm::create_engine("sqlite:///shop.db");
//   orm::create_all<Author>(engine);
//   auto conn = engine.connect();
//   Author ada{.name = "Ada"};
//   conn.insert(ada);
#include "orm/connection.hpp"
#include "orm/dialect/dialect.hpp"
#include "orm/engine.hpp"
#include "orm/error.hpp"
#include "orm/mapping/model.hpp"
#include "orm/mapping/reflection.hpp"
#include "orm/mapping/table.hpp"
#include "orm/mapping/types.hpp"
#include "orm/query.hpp"
#include "orm/relationship.hpp"
#include "orm/relationship_query.hpp"
#include "orm/result.hpp"
#include "orm/schema.hpp"
#include "orm/session.hpp"
#include "orm/sql/expression.hpp"
#include "orm/sql/statement.hpp"
#include "orm/url.hpp"
#include "orm/decimal.hpp"
// JSON columns need <orm/json.hpp> (and nlohmann-json): include it where you use them.
#include "orm/uuid.hpp"
#include "orm/value.hpp"
