// A small schema exercising every column type, shared by the data-model tests.
#pragma once

#include <memory>

#include "ovsdb/schema.h"

namespace ovnx::ovsdb::testing {

inline std::shared_ptr<const DatabaseSchema> test_schema() {
  static const char* kText = R"({
    "name": "Test", "version": "1.2.3",
    "tables": {
      "Parent": {
        "columns": {
          "name": {"type": "string"},
          "count": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 100}}},
          "ratio": {"type": "real"},
          "flag": {"type": "boolean"},
          "color": {"type": {"key": {"type": "string", "enum": ["set", ["red", "green"]]}}},
          "tags": {"type": {"key": {"type": "string", "maxLength": 4}, "min": 0, "max": 3}},
          "nums": {"type": {"key": "integer", "min": 0, "max": "unlimited"}},
          "opts": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
          "children": {"type": {"key": {"type": "uuid", "refTable": "Child"}, "min": 0,
                                "max": "unlimited"}},
          "weak": {"type": {"key": {"type": "uuid", "refTable": "Child", "refType": "weak"},
                            "min": 0, "max": 1}},
          "fixed": {"type": "integer", "mutable": false},
          "temp": {"type": "integer", "ephemeral": true}
        },
        "isRoot": true,
        "indexes": [["name"]]
      },
      "Child": {"columns": {"n": {"type": "integer"}}, "maxRows": 5}
    }
  })";
  auto s = DatabaseSchema::from_text(kText);
  return *s;
}

}  // namespace ovnx::ovsdb::testing
