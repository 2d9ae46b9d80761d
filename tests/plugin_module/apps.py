from logistics.modules import MenuEntry, Module


class PluginConfig(Module):
    default = True
    name = "tests.plugin_module"
    label = "plugin_module"
    verbose_name = "Library"

    home = "tests.plugin_module.home.sections"
    menu = [MenuEntry("plugin_module:index", "Library", None, order=50)]
    term_figures = "tests.plugin_module.home.figures"
