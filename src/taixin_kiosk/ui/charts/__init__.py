"""Charts drawn with pyqtgraph from deck.json data: a widget and one builder per kind.

``view`` holds the widget a slide shows and the table of kinds; ``canvas``
the plot and what builders build with; ``bar``, ``share``, ``line`` and
``timeline`` one kind each; ``parts`` the pyqtgraph pieces they share;
``labels`` where value labels go (beside their own mark, or left to a tap).
Nothing is imported here: pyqtgraph loads only when a chart is first needed.
"""
