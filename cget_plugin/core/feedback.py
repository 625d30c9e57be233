"""Reporting to a feedback object that may be a plain ``QgsFeedback`` (no pushInfo), a
``QgsProcessingFeedback`` or ``None``."""


def push_info(feedback, message: str) -> None:
    if feedback is not None and hasattr(feedback, "pushInfo"):
        feedback.pushInfo(message)


def push_warning(feedback, message: str) -> None:
    if feedback is None:
        return
    if hasattr(feedback, "pushWarning"):  # QGIS >= 3.16
        feedback.pushWarning(message)
    elif hasattr(feedback, "reportError"):
        feedback.reportError(message, False)
