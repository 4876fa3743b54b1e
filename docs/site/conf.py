# Sphinx configuration of the timfusion site. `timfusion.site.build` copies this file into the Sphinx source folder it
# generates (pages from reports/, executed library notebooks) and runs Sphinx there; see nbs/32_site.ipynb.
project = 'timfusion'
author = 'timfusion developers'
extensions = ['myst_nb', 'sphinx.ext.mathjax']
myst_enable_extensions = ['dollarmath', 'amsmath', 'attrs_inline']
myst_heading_anchors = 3
nb_execution_mode = 'off'          # timfusion.site executes the notebooks itself (in parallel, cached) before Sphinx reads them
nb_merge_streams = True
html_theme = 'furo'
html_title = 'timfusion'
html_static_path = ['_static']
html_css_files = ['timfusion.css']
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
# MathJax 2.7 from the jupyter-server-mathjax package, copied into _static/mathjax: no CDN, so the site works offline
mathjax_path = 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full'
# that wheel ships the STIX-Web fonts only (as Jupyter's classic notebook used it): tell MathJax not to look for the TeX fonts.
# MathJax_Blank is the empty font MathJax measures against; its default src url('about:blank') makes Chromium log a CORS
# error on every page, local() fails the same way without a request
mathjax2_config = {'tex2jax': {'processClass': 'math', 'ignoreClass': 'tex2jax_ignore|mathjax_ignore|highlight'},
                   'messageStyle': 'none', 'menuSettings': {'zoom': 'None'},
                   'HTML-CSS': {'availableFonts': [], 'preferredFont': None, 'webFont': 'STIX-Web', 'imageFont': None,
                                'styles': {'@font-face': {'font-family': 'MathJax_Blank', 'src': "local('MathJax_Blank')"}}}}
html_favicon = 'favicon.svg'   # else browsers ask for /favicon.ico, which a static site does not have
suppress_warnings = ['myst.header', 'mystnb.unknown_mime_type', 'misc.highlighting_failure', 'toc.not_included']
exclude_patterns = ['**/.ipynb_checkpoints']
