// A test helper: expect a call to throw ionode::error whose message names what is wrong.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "ionode/error.hpp"

// Expects the call to throw ionode::error (not another exception, not a crash) whose message contains
// every one of `words`.
inline void expect_error(const std::function<void()>& call, const std::vector<std::string>& words) {
  try {
    call();
  } catch (const ionode::error& e) {
    const std::string message = e.what();
    for (const auto& word : words) {
      EXPECT_NE(message.find(word), std::string::npos) << "'" << word << "' not in: " << message;
    }
    return;
  }
  ADD_FAILURE() << "no ionode::error thrown";
}
