"""Reports generated from the log: the annual 综合报告 of a jurisdiction's year and the
绩效评价报告 of one evaluation, each a document (document.py) rendered as PDF or Word."""
