; 快递行业党建台账 Windows installer: per-user, no administrator rights, Chinese (NSIS 3, MUI2).
; Built by installer/build-windows.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DAPPDIR=<one-folder app> -DOUTFILE=<setup.exe> [-DICON=<app.ico>]
; The program goes to %LOCALAPPDATA%\Programs\快递行业党建台账; the user's data stays in %LOCALAPPDATA%\DangjianTaizhang
; (registry/paths.py data_dir), which neither installing, upgrading nor uninstalling ever touches.

Unicode true
; a 64-bit installer for a 64-bit program: it also runs where no 32-bit layer exists (Wine without wine32)
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is required (-DVERSION=x.y.z, from pyproject.toml)"
!endif
!ifndef APPDIR
  !error "APPDIR is required (-DAPPDIR=dist-windows/快递行业党建台账)"
!endif
!ifndef OUTFILE
  !define OUTFILE "快递行业党建台账-安装程序-${VERSION}.exe"
!endif

!define PRODUCT "快递行业党建台账"
!define EXE "dangjian.exe"
!define CLI_EXE "dangjian-cli.exe"
; the key under HKCU that Windows' "应用和功能 / 程序和功能" lists; ASCII, like the data folder's name
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\DangjianTaizhang"
!define DATA_DIR "$LOCALAPPDATA\DangjianTaizhang"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinVer.nsh

Name "${PRODUCT}"
Caption "${PRODUCT} ${VERSION} 安装程序"
OutFile "${OUTFILE}"
; a per-user program folder: installing needs no administrator, and every Windows account gets its own copy
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PRODUCT}"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING

!define MUI_WELCOMEPAGE_TEXT "将在本电脑的当前用户下安装 ${PRODUCT} ${VERSION}，不需要管理员权限。$\r$\n$\r$\n台账数据保存在 ${DATA_DIR}，安装、升级和卸载都不会改动它。$\r$\n$\r$\n点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动 ${PRODUCT}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "将删除 ${PRODUCT} 程序及其快捷方式。台账数据（数据库和备份）不会删除，仍保存在 ${DATA_DIR}。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${PRODUCT} 已卸载"
!define MUI_FINISHPAGE_TEXT "程序已从本电脑删除。$\r$\n$\r$\n您的台账数据没有删除，仍保存在：$\r$\n${DATA_DIR}$\r$\n$\r$\n重新安装后会自动打开它；如确定不再需要，可以手动删除这个文件夹（里面有党员的身份证号等个人信息，请妥善处理）。"
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ; the app is a Qt 6 build, which needs Windows 10 or later (a 32-bit Windows cannot start this installer at all)
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "${PRODUCT} 需要 64 位的 Windows 10 或更高版本，本电脑无法安装。" /SD IDOK
    Abort
  ${EndIf}
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

; A running program holds its files: ask to close it rather than leave a half-replaced folder.
!macro CLOSE_RUNNING_PROGRAM un
Function ${un}CloseRunningProgram
  ${Do}
    ClearErrors
    ${If} ${FileExists} "$INSTDIR\${EXE}"
      Delete "$INSTDIR\${EXE}"
    ${EndIf}
    ${IfNot} ${Errors}
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${PRODUCT} 正在运行。请先关闭它（保存好正在录入的内容），再点“重试”。" /SD IDCANCEL IDRETRY retry
    Abort "${PRODUCT} 正在运行，未做任何改动。"
    retry:
  ${Loop}
FunctionEnd
!macroend
!insertmacro CLOSE_RUNNING_PROGRAM ""
!insertmacro CLOSE_RUNNING_PROGRAM "un."

Section "${PRODUCT}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  Call CloseRunningProgram
  ; an upgrade: the old version's libraries go first, so no stale DLL of it lingers beside the new ones
  RMDir /r "$INSTDIR\_internal"
  File /r "${APPDIR}\*"
  WriteUninstaller "$INSTDIR\卸载.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\卸载 ${PRODUCT}.lnk" "$INSTDIR\卸载.exe"
  CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\卸载.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\卸载.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
  DetailPrint "台账数据保存在 ${DATA_DIR}（安装不改动它）。"
SectionEnd

Section "Uninstall"
  Call un.CloseRunningProgram
  ; only what the installer put here: a folder the user chose may hold files of their own
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk"
  Delete "$SMPROGRAMS\${PRODUCT}\卸载 ${PRODUCT}.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  Delete "$INSTDIR\卸载.exe"
  RMDir "$INSTDIR"
  DetailPrint "台账数据没有删除，仍保存在 ${DATA_DIR}。"
SectionEnd
