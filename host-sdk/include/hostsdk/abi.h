/*
 * hostsdk/abi.h -- the C waist between a host and its plugins (ABI v1).
 *
 * This header is the only thing a host and a plugin share. A plugin built
 * apart from the host (another compiler, another C++ library, another POCO
 * build) stays loadable as long as both agree on this file's major version.
 *
 * Conventions
 * -----------
 * Naming:    hostsdk_on_*  functions are implemented by the plugin and called
 *            by the host; hostsdk_cb_* functions are implemented by the host
 *            and called by the plugin.
 * Versions:  every table starts with struct_size, abi_major, abi_minor.
 *            A different abi_major means "do not load". A newer abi_minor may
 *            append fields: check struct_size before touching a field that
 *            came after 1.0 (see HOSTSDK_HAS_FIELD).
 * Errors:    every function returns a hostsdk_status (HOSTSDK_OK == 0) and
 *            never lets an exception cross the boundary. A human-readable
 *            message, if any, is written to the `err` sink.
 * Data:      plain C types and UTF-8 JSON text. Nothing from std:: or POCO.
 * Ownership: nothing allocated on one side is ever freed on the other.
 *            Input pointers are borrowed for the duration of the call only.
 *            Output travels through a hostsdk_sink: the callee calls
 *            sink.write zero or more times before it returns; the caller owns
 *            the sink's context and whatever it accumulates.
 * Threading: the host calls route handlers, hooks and QR renderers from many
 *            threads at once; the plugin makes them thread-safe. Every
 *            hostsdk_cb_* is thread-safe. on_configure, on_activate,
 *            on_deactivate and on_destroy are called once each, in that
 *            order, from one thread, never concurrently with requests
 *            (the host drains in-flight calls before on_deactivate).
 * Since:     all of this is 1.0 unless a field says otherwise.
 */
#ifndef HOSTSDK_ABI_H
#define HOSTSDK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

#define HOSTSDK_ABI_MAJOR 1
#define HOSTSDK_ABI_MINOR 5

/* Name of the one symbol a plugin exports. */
#define HOSTSDK_ENTRY_SYMBOL "hostsdk_plugin_entry"

#if defined(__GNUC__)
#define HOSTSDK_EXPORT __attribute__((visibility("default")))
#else
#define HOSTSDK_EXPORT
#endif

/* True when a table of size `size` contains `field` of `type`. */
#define HOSTSDK_HAS_FIELD(ptr, type, field) ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

	typedef int32_t hostsdk_status;
	enum
	{
		HOSTSDK_OK = 0,
		HOSTSDK_E_INVALID = 1,     /* bad argument or payload */
		HOSTSDK_E_NOT_FOUND = 2,   /* the object does not exist (or may not be seen) */
		HOSTSDK_E_DENIED = 3,      /* the caller may not do this */
		HOSTSDK_E_CONFLICT = 4,    /* state changed under the caller */
		HOSTSDK_E_UNAVAILABLE = 5, /* a dependency (database, network) is down */
		HOSTSDK_E_INTERNAL = 6,    /* a bug or an unexpected failure */
		HOSTSDK_E_UNSUPPORTED = 7, /* unknown operation or id */
		HOSTSDK_E_ABI = 8          /* version or struct_size mismatch */
	};

	/* Log levels for hostsdk_cb_log, same order as syslog severities. */
	enum
	{
		HOSTSDK_LOG_ERROR = 3,
		HOSTSDK_LOG_WARNING = 4,
		HOSTSDK_LOG_INFO = 6,
		HOSTSDK_LOG_DEBUG = 7
	};

	/* An output channel owned by the caller. The callee may call write() any
	 * number of times during the call and never after it returns. */
	typedef struct hostsdk_sink
	{
		void* ctx;
		void (*write)(void* ctx, const char* data, size_t len);
	} hostsdk_sink;

	/* ------------------------------------------------------------------ */
	/* Requests and responses of plugin routes                            */
	/* ------------------------------------------------------------------ */

	enum
	{
		HOSTSDK_CALLER_ANONYMOUS = 0,
		HOSTSDK_CALLER_MEMBER = 1,
		HOSTSDK_CALLER_EXTERNAL = 2
	};

	/* Who is calling. Filled by the host after authentication. */
	typedef struct hostsdk_caller_v1
	{
		int64_t user_id;  /* 0 when anonymous */
		int64_t org_id;   /* the caller's current org; 0 when anonymous */
		int32_t kind;     /* HOSTSDK_CALLER_* in the current org */
		int32_t is_admin; /* admin of the current org */
		int32_t security_level;
		const char* session_id_hash; /* hex SHA-256 of the session id; "" when anonymous */
		const char* remote_addr;     /* client address as the host sees it */
		const char* locale;          /* "zh-CN" or "en" */
	} hostsdk_caller_v1;

	/* A request, borrowed for the duration of the handler call. */
	typedef struct hostsdk_request_v1
	{
		uint32_t struct_size;
		const char* method;      /* "GET", "POST", ... */
		const char* route;       /* the registered pattern, e.g. "/contacts/{id}" */
		const char* path;        /* the path below the plugin mount, e.g. "/contacts/42" */
		const char* path_params; /* JSON object of {name} captures, e.g. {"id":"42"} */
		const char* query;       /* raw query string without '?', "" if none */
		const char* headers;     /* JSON object, lower-case names */
		const char* body;        /* request body (not NUL-terminated) */
		size_t body_len;
		const hostsdk_caller_v1* caller;
		/* Since 1.4: the permissions the caller holds explicitly in
		 * caller->org_id, read by the host together with the session for this
		 * request: a JSON array of names, e.g. ["external_contacts.maintain"],
		 * "[]" for none. NULL when the host did not read them (anonymous
		 * callers, a notification action acting in another org, a 1.3 host:
		 * check HOSTSDK_HAS_FIELD first) — then ask cb_permission_check.
		 * Admins hold every permission whatever it lists. */
		const char* caller_permissions;
	} hostsdk_request_v1;

	/* A response under construction. The plugin sets a status, headers and
	 * writes the body; the host sends it after the handler returns. */
	typedef struct hostsdk_response_v1
	{
		uint32_t struct_size;
		void* ctx;
		void (*set_status)(void* ctx, int http_status);
		void (*set_header)(void* ctx, const char* name, const char* value);
		void (*write)(void* ctx, const char* data, size_t len);
	} hostsdk_response_v1;

	typedef hostsdk_status (*hostsdk_on_request_fn)(void* user, const hostsdk_request_v1* request,
													const hostsdk_response_v1* response);

	/* Route flags. */
	enum
	{
		HOSTSDK_ROUTE_PUBLIC = 1u << 0,      /* no session needed (landing pages) */
		HOSTSDK_ROUTE_EXTERNAL = 1u << 1,    /* external users may call it */
		HOSTSDK_ROUTE_PUBLIC_MOUNT = 1u << 2 /* mounted at /<subpath> instead of /api/plugins/<id>/ */
	};

	typedef struct hostsdk_route_v1
	{
		uint32_t struct_size;
		const char* method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
		const char* pattern; /* "/contacts/{id}"; segments in braces are captured */
		uint32_t flags;      /* HOSTSDK_ROUTE_* */
		hostsdk_on_request_fn on_request;
		void* user; /* passed back to on_request */
	} hostsdk_route_v1;

	/* ------------------------------------------------------------------ */
	/* Hooks                                                              */
	/* ------------------------------------------------------------------ */

	/* Hook ids are fixed numbers. "Will" hooks (1..99) receive a JSON payload
	 * and may write a changed payload to `out` or veto with HOSTSDK_E_DENIED.
	 * "Has been" hooks (100..) only notify; their `out` is ignored. */
	enum
	{
		HOSTSDK_HOOK_DIRECTORY_WILL_LIST_MEMBERS = 1,
		HOSTSDK_HOOK_MEMBER_WILL_LEAVE_ORG = 2, /* since 1.3: an admin previews or confirms a member's removal */
		HOSTSDK_HOOK_MEMBER_HAS_LEFT_ORG = 100,
		HOSTSDK_HOOK_USER_HAS_BEEN_DISABLED = 101,
		HOSTSDK_HOOK_ORG_SETTING_HAS_CHANGED = 102,
		HOSTSDK_HOOK_USER_HAS_BEEN_DELETED = 103,
		HOSTSDK_HOOK_USER_PROFILE_HAS_CHANGED = 104 /* since 1.1: a user changed their own profile */
	};

	typedef hostsdk_status (*hostsdk_on_hook_fn)(void* user, uint32_t hook_id, const char* payload_json,
												 hostsdk_sink out, hostsdk_sink err);

	/* QR renderer: encode `text` as `format` ("png" or "svg") with module size
	 * `size` (pixels per module); write the image bytes to `out`. */
	typedef hostsdk_status (*hostsdk_on_qr_render_fn)(void* user, const char* text, const char* format, int32_t size,
													  hostsdk_sink out, hostsdk_sink err);

	/* ------------------------------------------------------------------ */
	/* The host table, filled by the host, read-only for the plugin       */
	/* ------------------------------------------------------------------ */

	typedef struct hostsdk_host_v1
	{
		uint32_t struct_size;
		uint16_t abi_major;
		uint16_t abi_minor;
		void* ctx;                /* opaque; pass as first argument to every cb */
		const char* host_name;    /* e.g. "reference-host" */
		const char* host_version; /* semver */

		/* Logging. `message` must not contain secrets. */
		void (*cb_log)(void* ctx, int32_t level, const char* message);

		/* The plugin's own config section as a JSON object. */
		hostsdk_status (*cb_config)(void* ctx, hostsdk_sink out, hostsdk_sink err);

		/* Database: writes {"connector":"sqlite"|"mysql","connectionString":"...",
		 * "poolSize":N} to out. The plugin opens its own sessions with POCO Data
		 * or any client of its choice. */
		hostsdk_status (*cb_db_settings)(void* ctx, hostsdk_sink out, hostsdk_sink err);

		/* Applies sql/<component>/<dialect>/NNN_*.sql not yet recorded in the
		 * host's version table. Idempotent; safe from several nodes at once. */
		hostsdk_status (*cb_db_migrate)(void* ctx, const char* component, hostsdk_sink err);

		/* Registration; only valid during on_activate. The host copies what it
		 * needs; the plugin's strings may be freed after the call. Everything a
		 * plugin registered is dropped when it is deactivated. */
		hostsdk_status (*cb_register_route)(void* ctx, const hostsdk_route_v1* route, hostsdk_sink err);
		/* menu_json: {"location":"main.nav","id":"...","labelKey":"...","label":{"zh-CN":"..","en":".."},
		 *   "order":N,"target":"...","permission":"..."|null,"openToExternal":bool} */
		hostsdk_status (*cb_register_menu)(void* ctx, const char* menu_json, hostsdk_sink err);
		/* page_json: {"section":"...","sectionLabel":{...},"id":"...","label":{...},"target":"..."} */
		hostsdk_status (*cb_register_backoffice_page)(void* ctx, const char* page_json, hostsdk_sink err);
		hostsdk_status (*cb_register_qr_renderer)(void* ctx, const char* kind, hostsdk_on_qr_render_fn fn, void* user,
												  hostsdk_sink err);
		hostsdk_status (*cb_register_hook)(void* ctx, uint32_t hook_id, hostsdk_on_hook_fn fn, void* user,
										   hostsdk_sink err);

		/* Directory. op is one of "user.get", "users.get" (batch), "org.get",
		 * "memberships.of_user", "members.of_org", "members.with_permission",
		 * "members.search", "members.find", "member.is_member", and since 1.4
		 * "users.names" (display names only, batch; an older host answers
		 * HOSTSDK_E_UNSUPPORTED); request and response are JSON objects
		 * documented in docs/HOST-SDK.md. */
		hostsdk_status (*cb_directory)(void* ctx, const char* op, const char* request_json, hostsdk_sink out,
									   hostsdk_sink err);

		/* *allowed = 1 when user holds `permission` in org (admins hold all). */
		hostsdk_status (*cb_permission_check)(void* ctx, int64_t user_id, int64_t org_id, const char* permission,
											  int32_t* allowed, hostsdk_sink err);

		/* notification_json: {"orgId":N,"userIds":[..],"type":"...","title":{..},"body":{..},
		 *   "actions":[{"id":"approve","label":{..},"method":"POST","path":"/applications/7/approve"}],
		 *   "groupKey":"..."} ; writes {"ids":[..]} to out. */
		hostsdk_status (*cb_notify)(void* ctx, const char* notification_json, hostsdk_sink out, hostsdk_sink err);

		/* Marks every notification of this plugin with groupKey as handled. */
		hostsdk_status (*cb_notify_resolve)(void* ctx, const char* group_key, const char* outcome_json,
											hostsdk_sink err);

		/* message_json: {"channel":"email"|"sms","to":"...","template":"...","params":{..}} */
		hostsdk_status (*cb_outbound_send)(void* ctx, const char* message_json, hostsdk_sink err);

		/* Accounts of external users. op is one of "account.create_pending",
		 * "account.disable", "account.enable", "account.reset", "account.get",
		 * "account.set_security_level", "membership.add_external",
		 * "membership.remove_external"; JSON in, JSON out. */
		hostsdk_status (*cb_account)(void* ctx, const char* op, const char* request_json, hostsdk_sink out,
									 hostsdk_sink err);

		/* Milliseconds since the Unix epoch; replaceable in tests. */
		int64_t (*cb_clock_now_ms)(void* ctx);

		/* Fills buf with n bytes from a CSPRNG. */
		hostsdk_status (*cb_random_bytes)(void* ctx, uint8_t* buf, size_t n, hostsdk_sink err);

		/* Since 1.2 (check with HOSTSDK_HAS_FIELD before calling). Adds delta
		 * (>= 0) to the plugin's counter `name` with the labels of labels_json,
		 * a flat JSON object of strings ("{}" or NULL for none). The host
		 * exposes it as hostsdk_plugin_<name>_total{plugin="<id>",...}.
		 * name: [a-z_][a-z0-9_]{0,63}; at most 4 labels, names
		 * [a-z_][a-z0-9_]{0,31} (not "plugin", not "__*"), values UTF-8 of at
		 * most 64 bytes. Never put user data (ids, tokens, names) in a label.
		 * HOSTSDK_E_INVALID for a bad name, label or delta; HOSTSDK_E_DENIED
		 * once the plugin holds 200 series and this would start another. */
		hostsdk_status (*cb_metric_add)(void* ctx, const char* name, const char* labels_json, int64_t delta,
										hostsdk_sink err);

		/* Since 1.5 (check with HOSTSDK_HAS_FIELD before calling).
		 * cb_notify_resolve(group_key, outcome_json) and then
		 * cb_notify(notification_json) in one transaction: either the
		 * plugin's notifications of group_key are marked handled and the new
		 * ones stored, or neither (one durable commit instead of two). The
		 * arguments are checked as the two calls check them, before anything
		 * is written; writes {"ids":[..],"resolved":N} to out. */
		hostsdk_status (*cb_notify_with_resolve)(void* ctx, const char* group_key, const char* outcome_json,
												 const char* notification_json, hostsdk_sink out, hostsdk_sink err);
	} hostsdk_host_v1;

	/* ------------------------------------------------------------------ */
	/* The plugin table, zeroed by the host, filled by the plugin entry   */
	/* ------------------------------------------------------------------ */

	typedef struct hostsdk_plugin_v1
	{
		uint32_t struct_size; /* set by the host to the size it allocated */
		uint16_t abi_major;   /* set by the plugin */
		uint16_t abi_minor;   /* set by the plugin */
		void* ctx;            /* the plugin's state, passed back to every on_* */
		const char* id;       /* reverse-DNS or short id; static storage */
		const char* version;  /* semver; static storage */

		/* config_json: the plugin's config section. */
		hostsdk_status (*on_configure)(void* ctx, const char* config_json, hostsdk_sink err);
		/* All registration happens here. */
		hostsdk_status (*on_activate)(void* ctx, hostsdk_sink err);
		/* Release what on_activate acquired. Called after in-flight calls drained. */
		void (*on_deactivate)(void* ctx);
		/* Free ctx. Last call before dlclose. */
		void (*on_destroy)(void* ctx);
	} hostsdk_plugin_v1;

	/* The entry point. The host passes its table (valid until on_destroy
	 * returns) and a zeroed plugin table whose struct_size it has set. The
	 * plugin checks host->abi_major, fills `plugin` and returns HOSTSDK_OK, or
	 * HOSTSDK_E_ABI with a message in err. */
	typedef hostsdk_status (*hostsdk_plugin_entry_fn)(const hostsdk_host_v1* host, hostsdk_plugin_v1* plugin,
													  hostsdk_sink err);

#ifdef __cplusplus
}
#endif

#endif /* HOSTSDK_ABI_H */
