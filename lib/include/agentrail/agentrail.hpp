#pragma once
// Umbrella header of libagentrail.

#include "agentrail/client.hpp"
#include "agentrail/cursor_file.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/events.hpp"
#include "agentrail/export.hpp"
#include "agentrail/json.hpp"
#include "agentrail/log.hpp"
#include "agentrail/recent_ids.hpp"
#include "agentrail/redact.hpp"
#include "agentrail/response.hpp"
#include "agentrail/transport.hpp"
#include "agentrail/version.hpp"
#include "agentrail/webhook.hpp"
