#pragma once
// Storage tests use the shared test folder helper.

#include "tests/testing/temp_dir.h"

namespace kg::storage {
using kg::testing::TempDir;
}  // namespace kg::storage
