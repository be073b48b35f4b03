"""The NLP engine: classifier, duplicates and same matter, hot topics, reply quality.

Plain Python over texts, numbers and dates (numpy, scipy, scikit-learn, jieba); it imports neither
Django nor any other `liaison` package, so it runs in scripts and benchmarks without settings and
every app may use it. What varies by place (jurisdiction settings, the working calendar) stays in
the apps and is passed in as plain values. See docs/architecture.md, "NLP engine".
"""
