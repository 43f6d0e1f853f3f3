; Inno Setup script for Recuperation Desk (职工疗休养工作台) on Windows.
;
; Build the frozen program first (on Windows: `bash scripts/build-frozen`, or
; `.venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\recuperation.spec`),
; then compile this script with Inno Setup 6, passing the version from the package metadata:
;
;   iscc /DAppVersion=0.1.0 packaging\recuperation.iss
;
; The installer goes to dist\installer\.  It installs for the current user without administrator rights (data and
; logs live in the user's profile, through platformdirs), adds a Start-menu entry and an uninstaller, and offers a
; desktop icon.  Uninstalling leaves the user's database and backups in %LOCALAPPDATA%\RecuperationDesk alone.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F3C2A9E-3B7D-4C1A-9E52-8D7A1B0C4F21}
AppName=职工疗休养工作台
AppVerName=职工疗休养工作台 {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=Recuperation Desk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\RecuperationDesk
DefaultGroupName=职工疗休养工作台
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist\installer
OutputBaseFilename=RecuperationDesk-{#AppVersion}-setup
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\RecuperationDesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\RecuperationDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\职工疗休养工作台"; Filename: "{app}\RecuperationDesk.exe"
Name: "{group}\{cm:UninstallProgram,职工疗休养工作台}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\职工疗休养工作台"; Filename: "{app}\RecuperationDesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\RecuperationDesk.exe"; Description: "{cm:LaunchProgram,职工疗休养工作台}"; Flags: nowait postinstall skipifsilent
