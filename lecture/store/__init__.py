"""The store: where everything made lives (``layout``), how it is written (``files``: under a
temporary name, then renamed), what it was made from (``inputs``, ``stamps``: derived inputs,
compared, with the reason in words), who may write a folder (``locks``), and how a product with
declared inputs is brought up to date (``products``). Every other room of lecture/ uses it; it
imports none of them."""
