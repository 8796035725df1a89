"""Charts drawn from deck.json data: a widget and one builder per kind.

``view`` holds the widget a slide shows and the table of kinds; ``canvas``
the plot and what builders build with; ``bar``, ``share``, ``line``,
``timeline`` and ``figure`` one kind each; ``parts`` what they share;
``kit`` which kinds are drawn with pyqtgraph (``plotkit``) and which with
its plain-Qt stand-ins (``lite``); ``labels`` where value labels go (beside
their own mark, or left to a tap). Nothing is imported here: a chart's
modules load when it is first needed, and pyqtgraph only for a kind drawn
with it.
"""
