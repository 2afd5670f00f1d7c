// A library without the entry symbol: the host must refuse it.
extern "C" __attribute__((visibility("default"))) int not_a_plugin_entry()
{
	return 42;
}
