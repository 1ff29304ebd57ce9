"""Why a file could not be ingested: one small class per cause, each with a Chinese message."""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be ingested; str(error) is one Chinese line with a fix hint."""

    hint = "文件无法导入。"

    def __init__(self, source: str, detail: str = "") -> None:
        self.source = source
        self.detail = detail
        message = f"{source}：{self.hint}"
        if detail:
            message = f"{message}（{detail}）"
        super().__init__(message)


class EmptyFile(IngestError):
    """The file holds no text."""

    hint = "文件为空或没有可识别的文字，请检查文件内容。"


class BinaryFile(IngestError):
    """The file is binary data, not text (often a wrong extension)."""

    hint = "文件不是文本（可能是改了扩展名的二进制文件），请另存为 .txt/.docx/.pdf 后再导入。"


class UnsupportedFormat(IngestError):
    """The extension is not one we read."""

    hint = "不支持的文件类型，仅支持 .txt、.docx 和 .pdf。"


class BadEncoding(IngestError):
    """The text's encoding could not be determined."""

    hint = "无法识别文本编码，请另存为 UTF-8 编码后再导入。"


class TooLarge(IngestError):
    """The file exceeds the size cap."""

    hint = "文件过大，超过导入上限，请拆分后再导入。"


class CorruptFile(IngestError):
    """The .docx/.pdf container is damaged or unsafe to open."""

    hint = "文件已损坏或格式不正确，无法读取，请重新导出后再导入。"


class EncryptedFile(IngestError):
    """The PDF/DOCX is password protected."""

    hint = "文件已加密（有密码保护），请解除密码后再导入。"


class UnsafePath(IngestError):
    """The name points outside where it should (e.g. contains ../)."""

    hint = "文件名不安全（包含路径跳转等字符），请重命名后再导入。"


class NotFound(IngestError):
    """The path does not exist."""

    hint = "文件不存在，请检查路径。"
